import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseLiveSettings } from '../commands/live-run'
import { main } from '../program'
import { argv, createTestIo } from '../test-io'
import { analysisRow } from './ai-analyses'
import { type ServeHandle, serveDashboard } from './serve-dashboard'

let root = ''
let assetsDir = ''

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tickmesh-serve-cmd-'))
  assetsDir = join(root, 'web')
  mkdirSync(assetsDir, { recursive: true })
  writeFileSync(join(assetsDir, 'index.html'), '<!doctype html><title>tickmesh dashboard</title>')
})

afterEach(() => {
  rmSync(root, { recursive: true, force: true })
})

async function waitFor<T>(read: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = read()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('tickmesh serve', () => {
  it('serve --sim --json prints the URL, serves the page while it runs and exits 0 after --duration', async () => {
    const t = createTestIo({ cwd: root })
    const run = main(
      argv('serve', 'BTC/USDT', '--sim', '--port', '0', '--json', '--duration', '4s', '--assets', assetsDir),
      t.io,
    )
    const line = await waitFor(() => t.json().find((entry) => entry.kind === 'serve'))
    expect(line).toMatchObject({ kind: 'serve', source: 'simulator', symbols: ['BTC/USDT'] })
    const url = String(line.url)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const response = await fetch(url)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('tickmesh dashboard')
    expect(await run).toBe(0)
    expect(t.stderr.text).toBe('')
    // The port is free again once the command returned.
    await expect(fetch(url)).rejects.toThrow()
  })

  it('rejects a bad --port as a usage error (exit 2)', async () => {
    const t = createTestIo({ cwd: root })
    expect(await main(argv('serve', '--sim', '--port', '70000'), t.io)).toBe(2)
    expect(t.stderr.text).toContain('--port must be a whole number from 0 to 65535')
  })

  it('a taken port is a runtime failure (exit 1) that names the port and what to do', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const address = blocker.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    try {
      const t = createTestIo({ cwd: root })
      const code = await main(argv('serve', '--sim', '--port', String(port), '--assets', assetsDir), t.io)
      expect(code).toBe(1)
      expect(t.stderr.text).toContain(`127.0.0.1:${port}: EADDRINUSE`)
      expect(t.stderr.text).toContain('--port')
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()))
    }
  })

  it('lists its options in --help', async () => {
    const t = createTestIo({ cwd: root })
    expect(await main(argv('serve', '--help'), t.io)).toBe(0)
    for (const flag of ['--port', '--host', '--sim', '--ai', '--threshold'])
      expect(t.stdout.text).toContain(flag)
    expect(t.stdout.text).not.toContain('--update-interval')
  })

  it('with ai, the local analyst’s analyses reach the dashboard state', async () => {
    const t = createTestIo({ cwd: root })
    const context = { io: t.io, deps: {} }
    const settings = parseLiveSettings(context, ['BTC/USDT'], {
      venues: 'binance,okx',
      market: 'spot',
      sim: true,
      connectTimeout: '10s',
    })
    let handle: ServeHandle | undefined
    const done = serveDashboard(
      context,
      settings,
      {
        port: 0,
        host: '127.0.0.1',
        threshold: 0.0005,
        notional: 0,
        json: false,
        assetsDir,
        ai: true,
        aiFirstDigestAfterMs: 1_500,
      },
      (ready) => {
        handle = ready
      },
    )
    try {
      const running = await waitFor(() => handle)
      const analyses = await waitFor(() => {
        const rows = running.feed.tick().state.analyses
        return rows.length >= 3 ? rows : undefined
      })
      expect(new Set(analyses.map((row) => row.kind))).toEqual(new Set(['sentiment', 'anomaly', 'signal']))
      for (const row of analyses) {
        expect(row.symbol).toBe('BTC/USDT')
        expect(row.summary.length).toBeGreaterThan(3)
        expect(row.summary).not.toMatch(/^failed/)
      }
    } finally {
      handle?.stop()
      await done
    }
  })
})

describe('analysisRow', () => {
  const base = {
    type: 'analysis' as const,
    symbol: 'ETH/USDT',
    at: '2026-11-25T12:00:00.000Z',
    trigger: 'digest' as const,
    source: 'local' as const,
    model: 'local',
    error: null,
    inputs: {} as never,
    latencyMs: 0,
    tokens: null,
    costUsd: 0,
    call: null,
  }

  it('says what a trader reads for each kind and for a failure', () => {
    expect(
      analysisRow({
        ...base,
        kind: 'signal',
        status: 'ok',
        result: { signal: 'BUY', rationale: 'momentum' },
      }),
    ).toEqual({ at: Date.parse(base.at), symbol: 'ETH/USDT', kind: 'signal', summary: 'BUY — momentum' })
    expect(
      analysisRow({
        ...base,
        kind: 'sentiment',
        status: 'ok',
        result: { sentiment: 'bearish', confidence: 0.62, keyFactors: [], recommendation: 'reduce size' },
      })?.summary,
    ).toBe('bearish (62%) — reduce size')
    expect(
      analysisRow({
        ...base,
        kind: 'anomaly',
        status: 'ok',
        result: { isAnomaly: true, zScore: 3.456, reason: 'price jump' },
      })?.summary,
    ).toBe('ANOMALY z=3.46 — price jump')
    expect(
      analysisRow({
        ...base,
        kind: 'signal',
        status: 'failed',
        result: null,
        error: { code: 'X', reason: 'timeout', message: 'model timed out', hint: null },
      })?.summary,
    ).toBe('failed: model timed out')
    expect(analysisRow({ type: 'summary' } as never)).toBeNull()
  })
})
