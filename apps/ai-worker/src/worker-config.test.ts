import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DailyBudget } from './daily-budget'
import { parseDuration } from './duration'
import { costUsd, DEFAULT_PRICES, parsePrices } from './price-table'
import { resolveConfig } from './worker-config'

describe('configuration', () => {
  let dir: string | null = null
  afterEach(() => {
    if (dir !== null) rmSync(dir, { recursive: true, force: true })
    dir = null
  })
  const configFile = (content: object): string => {
    dir ??= mkdtempSync(join(tmpdir(), 'tickmesh-ai-config-'))
    const path = join(dir, 'config.json')
    writeFileSync(path, JSON.stringify(content))
    return path
  }

  it('has the documented defaults and no gateway without a key', () => {
    const config = resolveConfig([], {}, {})
    expect(config).toMatchObject({
      symbols: ['BTC/USDT'],
      apiKey: null,
      baseUrl: null,
      budgetUsd: 5,
      digestEveryMs: 300_000,
      timeoutMs: 30_000,
      maxRetries: 3,
      concurrency: 4,
      routing: { sentiment: 'claude-sonnet-4.5', anomaly: 'deepseek-v3.2', signal: 'gpt-4.1' },
    })
  })

  it('presets name the gateways', () => {
    const env = { TICKMESH_AI_API_KEY: 'k' }
    expect(resolveConfig([], { preset: 'holysheep' }, env).baseUrl).toBe('https://api.holysheep.ai/v1')
    expect(resolveConfig([], { preset: 'openai' }, env).baseUrl).toBe('https://api.openai.com/v1')
    expect(resolveConfig([], { preset: 'deepseek' }, env).baseUrl).toBe('https://api.deepseek.com/v1')
  })

  it('takes flags over environment over the config file', () => {
    const path = configFile({
      apiKey: 'from-file',
      baseUrl: 'https://file.example/v1',
      budgetUsd: 2,
      models: { signal: 'gemini-2.5-flash' },
      prices: { 'my-model': { inputPerMTok: 1, outputPerMTok: 2 } },
      digestEvery: '10m',
    })
    const fromFile = resolveConfig([], { config: path }, {})
    expect(fromFile).toMatchObject({
      apiKey: 'from-file',
      baseUrl: 'https://file.example/v1',
      budgetUsd: 2,
      digestEveryMs: 600_000,
    })
    expect(fromFile.routing.signal).toBe('gemini-2.5-flash')
    const fromEnv = resolveConfig(
      [],
      { config: path },
      { TICKMESH_AI_API_KEY: 'from-env', TICKMESH_AI_BASE_URL: 'https://env.example/v1' },
    )
    expect(fromEnv).toMatchObject({ apiKey: 'from-env', baseUrl: 'https://env.example/v1' })
    const fromFlags = resolveConfig(
      [],
      { config: path, baseUrl: 'https://flag.example/v1', budgetUsd: '9', models: 'anomaly=my-model' },
      { TICKMESH_AI_BASE_URL: 'https://env.example/v1' },
    )
    expect(fromFlags).toMatchObject({ baseUrl: 'https://flag.example/v1', budgetUsd: 9 })
    expect(fromFlags.routing).toEqual({
      sentiment: 'claude-sonnet-4.5',
      anomaly: 'my-model',
      signal: 'gemini-2.5-flash',
    })
  })

  it('rejects unknown config file keys and bad values with the path of each problem', () => {
    const path = configFile({ apiKey: 'k', budget: 5, concurrency: 0 })
    expect(() => resolveConfig([], { config: path }, {})).toThrow(/budget|concurrency/)
  })

  it('parses durations, prices and costs', () => {
    expect(parseDuration('5m')).toBe(300_000)
    expect(parseDuration('1.5s')).toBe(1_500)
    expect(parseDuration('250ms')).toBe(250)
    expect(() => parseDuration('5')).toThrow(/unit/)
    expect(parsePrices('a=1/2, b=0.5/4')).toEqual({
      a: { inputPerMTok: 1, outputPerMTok: 2 },
      b: { inputPerMTok: 0.5, outputPerMTok: 4 },
    })
    expect(() => parsePrices('a=1')).toThrow(/Invalid price/)
    // deepseek-v3.2: 1 M input tokens at $0.28 plus 1 M output tokens at $0.42.
    expect(costUsd(DEFAULT_PRICES['deepseek-v3.2']!, { inputTokens: 1e6, outputTokens: 1e6 })).toBeCloseTo(
      0.7,
      12,
    )
    expect(
      costUsd(DEFAULT_PRICES['gemini-2.5-flash']!, { inputTokens: 10_000, outputTokens: 2_000 }),
    ).toBeCloseTo(0.008, 12)
  })
})

describe('daily budget', () => {
  it('refuses reservations that would exceed the cap, counting calls in flight', () => {
    const budget = new DailyBudget(1, () => Date.UTC(2026, 10, 25, 12))
    const first = budget.reserve(0.6)
    expect(first).not.toBeNull()
    expect(budget.reserve(0.6)).toBeNull()
    first!.settle(0.1)
    expect(budget.reserve(0.6)).not.toBeNull()
    expect(budget.snapshot()).toMatchObject({ spentUsd: 0.1, reservedUsd: 0.6, refused: 1, calls: 1 })
  })

  it('starts afresh at UTC midnight', () => {
    let now = Date.UTC(2026, 10, 25, 23, 59)
    const budget = new DailyBudget(1, () => now)
    budget.reserve(0)!.settle(1)
    expect(budget.exhausted).toBe(true)
    expect(budget.reserve(0.01)).toBeNull()
    now = Date.UTC(2026, 10, 26, 0, 1)
    expect(budget.exhausted).toBe(false)
    expect(budget.snapshot()).toMatchObject({ day: '2026-11-26', spentUsd: 0, calls: 0 })
  })
})
