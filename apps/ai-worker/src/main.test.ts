import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectNats, startNatsServer } from '@tickmesh/nats'
import { afterEach, describe, expect, it } from 'vitest'
import type { AnalysisRecord } from './analysis-record'
import { main } from './main'
import type { OpenAiTestServer, RecordedRequest, ScriptedReply } from './openai-test-server'
import { startOpenAiTestServer } from './openai-test-server'
import type { DryRunRecord, NoticeRecord, OutputRecord, SummaryRecord } from './output-records'

interface Run {
  code: number
  records: OutputRecord[]
  stderr: string
  stdout: string
}

/** Runs `main` in-process until `done(records)` holds (or the timeout), then stops it like Ctrl-C. */
async function runUntil(
  argv: string[],
  env: Record<string, string>,
  done: (records: OutputRecord[]) => boolean,
  timeoutMs = 45_000,
): Promise<Run> {
  let stdout = ''
  let stderr = ''
  const controller = new AbortController()
  const records = (): OutputRecord[] =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as OutputRecord)
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  const poll = setInterval(() => {
    if (done(records())) controller.abort()
  }, 25)
  try {
    const code = await main(argv, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env,
      signal: controller.signal,
      handleSignals: false,
    })
    return { code, records: records(), stderr, stdout }
  } finally {
    clearTimeout(timer)
    clearInterval(poll)
  }
}

const analyses = (records: OutputRecord[]) =>
  records.filter((record): record is AnalysisRecord => record.type === 'analysis')
const SIM = ['--sim', 'BTC/USDT', 'ETH/USDT', '--sim-tick', '20ms', '--window', '1m', '--short-window', '10s']

/** Answers each task with a valid batch for the symbols in the prompt. */
function validReply(request: RecordedRequest): ScriptedReply {
  const prompt = String(request.messages.at(-1)?.content ?? '')
  const kind = /^Task: (\w+)/.exec(prompt)?.[1]
  const symbols = [...prompt.matchAll(/"symbol":"([^"]+)"/g)].map((match) => match[1]!)
  const entry = (symbol: string) =>
    kind === 'sentiment'
      ? {
          symbol,
          sentiment: 'bullish',
          confidence: 0.8,
          keyFactors: ['bids stacking'],
          recommendation: 'Scale in.',
        }
      : kind === 'anomaly'
        ? { symbol, isAnomaly: false, reason: 'Nothing unusual.' }
        : { symbol, signal: 'BUY', rationale: 'Trend and flow agree.' }
  return { content: { analyses: symbols.map(entry) }, promptTokens: 2_000, completionTokens: 300 }
}

describe('tickmesh-ai main', () => {
  let server: OpenAiTestServer | null = null
  let dir: string | null = null
  afterEach(async () => {
    await server?.close()
    server = null
    if (dir !== null) rmSync(dir, { recursive: true, force: true })
    dir = null
  })

  it('--sim runs offline with the local analyst and prints all three analyses per symbol', async () => {
    const run = await runUntil([...SIM, '--digest-every', '1s'], {}, (records) => {
      const digest = analyses(records).filter((record) => record.trigger === 'digest')
      return digest.length >= 6
    })
    expect(run.code).toBe(0)
    const digest = analyses(run.records).filter((record) => record.trigger === 'digest')
    for (const symbol of ['BTC/USDT', 'ETH/USDT']) {
      for (const kind of ['sentiment', 'anomaly', 'signal'] as const) {
        const record = digest.find((entry) => entry.symbol === symbol && entry.kind === kind)
        expect(record, `${kind} ${symbol}`).toBeDefined()
        expect(record).toMatchObject({
          source: 'local',
          model: 'local',
          status: 'ok',
          costUsd: 0,
          tokens: null,
        })
        expect(record!.inputs.mid).toBeGreaterThan(0)
        expect(record!.inputs.venues.length).toBeGreaterThan(0)
      }
    }
    // Coinbase's BTC/USD and ETH/USD quotes are merged into the USDT symbols.
    expect(new Set(digest.flatMap((record) => record.inputs.venues))).toContain('coinbase')
    expect(run.stderr).toContain('the local analyst (no TICKMESH_AI_API_KEY)')
    const summary = run.records.at(-1) as SummaryRecord
    expect(summary.type).toBe('summary')
    expect(summary.totalCostUsd).toBe(0)
    expect(summary.analyses.ok).toBe(analyses(run.records).length)
  }, 60_000)

  it('routes each task to its model through the gateway, prices the tokens and never prints the key', async () => {
    server = await startOpenAiTestServer()
    server.fallback = validReply
    const gateway = server
    const run = await runUntil(
      [...SIM, '--digest-every', '1s', '--base-url', gateway.baseUrl],
      { TICKMESH_AI_API_KEY: 'sk-very-secret-key' },
      (records) => analyses(records).filter((record) => record.source === 'model').length >= 6,
    )
    expect(run.code).toBe(0)
    const byKind = new Map<string, string>()
    for (const request of gateway.requests) {
      const kind = /^Task: (\w+)/.exec(String(request.messages.at(-1)?.content))?.[1]
      byKind.set(kind!, request.model)
      expect(request.authorization).toBe('Bearer sk-very-secret-key')
    }
    expect(Object.fromEntries(byKind)).toEqual({
      sentiment: 'claude-sonnet-4.5',
      anomaly: 'deepseek-v3.2',
      signal: 'gpt-4.1',
    })
    const modelRecords = analyses(run.records).filter((record) => record.source === 'model')
    const sentiment = modelRecords.find((record) => record.kind === 'sentiment')!
    expect(sentiment.result).toMatchObject({ sentiment: 'bullish', confidence: 0.8 })
    expect(sentiment.tokens).toEqual({ input: 2_000, output: 300 })
    // claude-sonnet-4.5 at $3/$15 per MTok: 2000 × 3e-6 + 300 × 15e-6 = $0.0105 per call, two symbols share it.
    expect(sentiment.call!.costUsd).toBeCloseTo(0.0105, 10)
    expect(sentiment.costUsd).toBeCloseTo(0.0105 / sentiment.call!.symbols, 10)
    const anomaly = modelRecords.find((record) => record.kind === 'anomaly')!
    // The z-score in the record is the local one, not the model's.
    expect(anomaly.result).toHaveProperty(
      'zScore',
      anomaly.inputs.zScore === null ? null : expect.any(Number),
    )
    const summary = run.records.at(-1) as SummaryRecord
    expect(summary.models.map((line) => line.model).sort()).toEqual([
      'claude-sonnet-4.5',
      'deepseek-v3.2',
      'gpt-4.1',
    ])
    expect(summary.budget).toMatchObject({ limitUsd: 5 })
    expect(summary.totalCostUsd).toBeGreaterThan(0)
    expect(run.stdout).not.toContain('sk-very-secret-key')
    expect(run.stderr).not.toContain('sk-very-secret-key')
  }, 60_000)

  it('with the budget spent, calls no model, says so once and goes on with local analyses', async () => {
    server = await startOpenAiTestServer()
    server.fallback = validReply
    const run = await runUntil(
      [...SIM, '--digest-every', '1s', '--base-url', server.baseUrl, '--budget-usd', '0'],
      { TICKMESH_AI_API_KEY: 'sk-test' },
      (records) => analyses(records).length >= 12,
    )
    expect(run.code).toBe(0)
    expect(server.requests).toHaveLength(0)
    const notices = run.records.filter((record): record is NoticeRecord => record.type === 'notice')
    expect(notices.map((notice) => notice.code)).toEqual(['BUDGET_EXHAUSTED'])
    for (const record of analyses(run.records)) {
      if (record.trigger === 'anomaly') continue
      expect(record).toMatchObject({ source: 'local', status: 'ok', note: 'model budget spent' })
    }
    expect(run.stderr).toContain('daily model budget is spent')
  }, 60_000)

  it('--dry-run prints the prompts and estimated cost and calls nothing', async () => {
    server = await startOpenAiTestServer()
    const run = await runUntil(
      [...SIM, '--digest-every', '1s', '--dry-run', '--base-url', server.baseUrl],
      {},
      (records) => records.filter((record) => record.type === 'dry-run').length >= 3,
    )
    expect(run.code).toBe(0)
    expect(server.requests).toHaveLength(0)
    const dry = run.records.filter((record): record is DryRunRecord => record.type === 'dry-run')
    const sentiment = dry.find((record) => record.kind === 'sentiment')!
    expect(sentiment.model).toBe('claude-sonnet-4.5')
    expect(sentiment.symbols.sort()).toEqual(['BTC/USDT', 'ETH/USDT'])
    expect(sentiment.prompt).toContain('"symbol":"BTC/USDT"')
    expect(sentiment.system).toContain('"analyses"')
    // Input estimate plus a full 1 000-token answer at $3/$15 per MTok.
    expect(sentiment.estimatedCostUsd).toBeCloseTo(
      (sentiment.estimatedInputTokens * 3 + 1_000 * 15) / 1e6,
      10,
    )
  }, 60_000)

  it('writes NDJSON to --out instead of stdout', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tickmesh-ai-'))
    const file = join(dir, 'analyses.ndjson')
    let lines = 0
    const run = await runUntil([...SIM, '--digest-every', '1s', '--out', file], {}, () => {
      try {
        lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).length
      } catch {
        lines = 0
      }
      return lines >= 6
    })
    expect(run.code).toBe(0)
    expect(run.stdout).toBe('')
    const records = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as OutputRecord)
    expect(analyses(records).length).toBeGreaterThanOrEqual(6)
    expect(records.at(-1)!.type).toBe('summary')
  }, 60_000)

  it('--publish sends each record to NATS under tickmesh.analysis.<kind>.<symbol>', async () => {
    const nats = await startNatsServer()
    const listener = await connectNats(nats.url)
    try {
      const subjects: string[] = []
      const bodies: OutputRecord[] = []
      const subscription = listener.subscribe('tickmesh.analysis.>')
      void (async () => {
        for await (const message of subscription) {
          subjects.push(message.subject)
          bodies.push(JSON.parse(message.string()) as OutputRecord)
        }
      })()
      await listener.flush()
      const run = await runUntil(
        [...SIM, '--digest-every', '1s', '--publish', nats.url],
        {},
        () => subjects.length >= 6,
      )
      expect(run.code).toBe(0)
      expect(run.stderr).toContain(`publishing to ${nats.url}`)
      await listener.flush()
      expect(subjects).toEqual(
        expect.arrayContaining(['tickmesh.analysis.sentiment.BTC-USDT', 'tickmesh.analysis.signal.ETH-USDT']),
      )
      const first = bodies.find((body) => body.type === 'analysis') as AnalysisRecord
      expect(subjects[bodies.indexOf(first)]).toBe(
        `tickmesh.analysis.${first.kind}.${first.symbol.replace('/', '-')}`,
      )
    } finally {
      await listener.close()
      await nats.stop()
    }
  }, 60_000)

  it('SIGUSR2 prints the running cost/budget summary without stopping', async () => {
    let stdout = ''
    let stderr = ''
    const controller = new AbortController()
    let signalled = false
    const poll = setInterval(() => {
      if (!signalled && stdout.includes('"type":"analysis"')) {
        signalled = true
        process.emit('SIGUSR2', 'SIGUSR2')
      } else if (signalled && (stdout.split('"type":"summary"')[1] ?? '').includes('"type":"analysis"')) {
        controller.abort()
      }
    }, 25)
    try {
      const code = await main([...SIM, '--digest-every', '1s'], {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
        env: {},
        signal: controller.signal,
      })
      expect(code).toBe(0)
    } finally {
      clearInterval(poll)
    }
    const lines = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as OutputRecord)
    const summaries = lines.flatMap((record, index) => (record.type === 'summary' ? [index] : []))
    // One on SIGUSR2 while running (analyses follow it), one on exit.
    expect(summaries).toHaveLength(2)
    expect(lines.slice(summaries[0]! + 1).some((record) => record.type === 'analysis')).toBe(true)
    expect(stderr.match(/tickmesh-ai: cost \$/g)).toHaveLength(2)
    expect(process.listenerCount('SIGUSR2')).toBe(0)
  }, 60_000)

  it('refuses bad settings with exit code 2 and a hint, opening nothing', async () => {
    const cases: Array<[string[], Record<string, string>, string]> = [
      [['--models', 'mood=gpt-4.1'], {}, 'Unknown analysis "mood"'],
      [['--models', 'signal=my-model'], {}, 'No price is known for model "my-model"'],
      [['--digest-every', '5'], {}, 'Invalid --digest-every "5"'],
      [[], { TICKMESH_AI_API_KEY: 'sk-x' }, 'no gateway is named'],
      [['--preset', 'acme'], {}, 'Unknown gateway preset "acme"'],
      [['--sim', '--window', '10s', '--short-window', '1m'], {}, 'feature windows are inconsistent'],
    ]
    for (const [argv, env, message] of cases) {
      const run = await runUntil(argv, env, () => true, 5_000)
      expect(run.code, argv.join(' ')).toBe(2)
      expect(run.stderr).toContain(message)
      expect(run.stderr).not.toContain('sk-x')
    }
  })
})
