import { createMarketView } from '@tickmesh/aggregator'
import type { BboEvent } from '@tickmesh/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { AnalysisRecord } from './analysis-record'
import type { AnalysisKind } from './analysis-schemas'
import { AnalysisWorker } from './analysis-worker'
import type { Analyst } from './analyst'
import { LocalAnalyst } from './analyst'
import { FeatureTracker } from './feature-tracker'
import type { OutputRecord } from './output-records'
import type { SymbolFeatures } from './symbol-features'

const T0 = Date.UTC(2026, 10, 25, 12)

function quote(time: number, mid: number): BboEvent {
  return {
    kind: 'bbo',
    venue: 'binance',
    market: 'spot',
    symbol: 'BTC/USDT',
    venueSymbol: 'BTCUSDT',
    exchangeTime: time,
    receivedAt: time,
    bidPrice: mid - 1,
    bidSize: 1,
    askPrice: mid + 1,
    askSize: 1,
  }
}

/** A market view driven by hand: one quote per scripted second, the worker evaluated by the test. */
function setup(analyst: Analyst, options: { anomalyCooldownMs?: number } = {}) {
  let clock = T0
  const view = createMarketView({ now: () => clock, staleAfterMs: Number.POSITIVE_INFINITY })
  const tracker = new FeatureTracker(view, { symbols: ['BTC/USDT'], windowMs: 60_000, shortWindowMs: 10_000 })
  const records: OutputRecord[] = []
  const worker = new AnalysisWorker({
    tracker,
    analyst,
    onRecord: (record) => records.push(record),
    digestEveryMs: 0,
    anomalyCooldownMs: options.anomalyCooldownMs ?? 30_000,
    now: () => clock,
  })
  const step = (mid: number) => {
    clock += 1_000
    view.ingest(quote(clock, mid))
    worker.evaluate()
  }
  return { worker, records, step }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve))
}

describe('analysis worker triggers', () => {
  let worker: AnalysisWorker | null = null
  afterEach(async () => {
    await worker?.close()
    worker = null
  })

  it('asks for nothing in a calm market, and for an anomaly analysis once when a spike hits', async () => {
    const market = setup(new LocalAnalyst())
    worker = market.worker
    for (let second = 0; second < 30; second++) market.step(60_000 + (second % 2))
    await settle()
    expect(market.records).toEqual([])
    market.step(60_400)
    await settle()
    const anomalies = market.records as AnalysisRecord[]
    expect(anomalies).toHaveLength(1)
    expect(anomalies[0]).toMatchObject({ kind: 'anomaly', trigger: 'anomaly', symbol: 'BTC/USDT' })
    expect(anomalies[0]!.result).toMatchObject({ isAnomaly: true })
    // The spike persists in the window: the cooldown keeps it from calling again every second.
    for (let second = 0; second < 5; second++) market.step(60_400 + second * 50)
    await settle()
    expect(market.records).toHaveLength(1)
  })

  it('batches every symbol of a request into one call per analysis kind', async () => {
    const calls: Array<{ kind: AnalysisKind; symbols: string[] }> = []
    const recording: Analyst = {
      name: 'recording',
      analyze: async (kind, batch: readonly SymbolFeatures[]) => {
        calls.push({ kind, symbols: batch.map((features) => features.symbol) })
        return []
      },
    }
    const market = setup(recording)
    worker = market.worker
    market.step(60_000)
    await market.worker.requestAnalysis()
    expect(calls.map((call) => call.kind).sort()).toEqual(['anomaly', 'sentiment', 'signal'])
    for (const call of calls) expect(call.symbols).toEqual(['BTC/USDT'])
  })

  it('skips a digest while the previous one is still running', async () => {
    let calls = 0
    let release: () => void = () => undefined
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    const stuck: Analyst = {
      name: 'stuck',
      analyze: async () => {
        calls++
        await released
        return []
      },
    }
    let clock = T0
    const view = createMarketView({ now: () => clock, staleAfterMs: Number.POSITIVE_INFINITY })
    view.ingest(quote(clock, 60_000))
    const tracker = new FeatureTracker(view, { symbols: ['BTC/USDT'] })
    worker = new AnalysisWorker({
      tracker,
      analyst: stuck,
      onRecord: () => undefined,
      digestEveryMs: 10,
      firstDigestAfterMs: 0,
      evaluateEveryMs: 1_000,
    })
    worker.start()
    const startedAt = Date.now()
    while (worker.skippedDigests < 3 && Date.now() - startedAt < 10_000)
      await new Promise((resolve) => setTimeout(resolve, 10))
    clock += 1
    expect(worker.skippedDigests).toBeGreaterThanOrEqual(3)
    expect(worker.digests).toBe(1)
    expect(calls).toBe(3)
    release()
  })

  it('runs the first digest after firstDigestAfterMs, not a whole period later', async () => {
    const kinds: AnalysisKind[] = []
    const recording: Analyst = {
      name: 'recording',
      analyze: async (kind) => {
        kinds.push(kind)
        return []
      },
    }
    const view = createMarketView({ staleAfterMs: Number.POSITIVE_INFINITY })
    view.ingest(quote(T0, 60_000))
    const tracker = new FeatureTracker(view, { symbols: ['BTC/USDT'] })
    worker = new AnalysisWorker({
      tracker,
      analyst: recording,
      onRecord: () => undefined,
      digestEveryMs: 3_600_000,
      firstDigestAfterMs: 20,
    })
    worker.start()
    const startedAt = Date.now()
    while (kinds.length < 3 && Date.now() - startedAt < 10_000)
      await new Promise((resolve) => setTimeout(resolve, 10))
    expect(kinds.sort()).toEqual(['anomaly', 'sentiment', 'signal'])
    expect(worker.digests).toBe(1)
  })

  it('close waits for analyses in flight and still delivers them', async () => {
    let release: () => void = () => undefined
    const slow: Analyst = {
      name: 'slow',
      analyze: async (kind, batch) => {
        await new Promise<void>((resolve) => {
          release = resolve
        })
        return new LocalAnalyst().analyze(kind, batch, 'request')
      },
    }
    const market = setup(slow)
    market.step(60_000)
    const pending = market.worker.requestAnalysis(['signal'])
    await settle()
    const closing = market.worker.close()
    release()
    await closing
    await pending
    expect(market.records).toHaveLength(1)
    expect(market.records[0]).toMatchObject({ kind: 'signal', trigger: 'request' })
  })
})
