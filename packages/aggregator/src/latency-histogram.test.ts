import { describe, expect, it } from 'vitest'
import { LatencyHistogram } from './latency-histogram'
import { createMarketView } from './market-view'
import { bbo, status } from './test-events'

describe('latency histogram', () => {
  it('reports p50/p90/p99 within the bucket precision and exact min/max', () => {
    const histogram = new LatencyHistogram()
    for (let ms = 1; ms <= 1_000; ms++) histogram.record(ms)
    const summary = histogram.summary()
    expect(summary.count).toBe(1_000)
    expect(summary.min).toBe(1)
    expect(summary.max).toBe(1_000)
    expect(summary.mean).toBeCloseTo(500.5, 10)
    expect(Math.abs(summary.p50! - 500) / 500).toBeLessThan(0.02)
    expect(Math.abs(summary.p90! - 900) / 900).toBeLessThan(0.02)
    expect(Math.abs(summary.p99! - 990) / 990).toBeLessThan(0.02)
  })

  it('keeps sub-millisecond and very large values, and counts negatives', () => {
    const histogram = new LatencyHistogram()
    histogram.record(0.004)
    histogram.record(-3)
    histogram.record(10_000_000)
    const summary = histogram.summary()
    expect(summary).toMatchObject({ count: 3, negativeCount: 1, min: 0, max: 10_000_000 })
    expect(histogram.percentile(0.34)).toBeCloseTo(0.004, 6)
    histogram.reset()
    expect(histogram.summary()).toMatchObject({ count: 0, p50: null, max: null })
  })
})

describe('venue health', () => {
  it('corrects latency by the venue clock offset and counts rates, gaps, resyncs and reconnects', () => {
    const view = createMarketView({ clockOffsetMs: { okx: 20 } })
    for (let i = 0; i < 30; i++) {
      // okx's clock runs 20 ms ahead: its exchangeTime reads 20 ms late, so raw latency looks 5 ms.
      view.ingest(bbo('okx', 'BTC/USDT', 10_000 + i * 100, 100, 101, { exchangeTime: 10_000 + i * 100 - 5 }))
    }
    view.ingest(bbo('binance', 'BTC/USDT', 13_000, 100, 101, { exchangeTime: 12_990 }))
    view.ingest(status('okx', 'reconnecting', 13_001, { attempt: 1 }))
    view.ingest(status('okx', 'reconnecting', 13_002, { attempt: 2 }))
    view.ingest(status('okx', 'open', 13_003))
    view.ingest(status('okx', 'resyncing', 13_004, { symbol: 'BTC/USDT' }))
    view.ingest({
      kind: 'gap',
      venue: 'okx',
      market: 'spot',
      symbol: 'BTC/USDT',
      venueSymbol: 'BTC-USDT',
      exchangeTime: null,
      receivedAt: 13_005,
      channel: 'trades',
      fromId: '1',
      toId: '9',
      fromTime: null,
      toTime: null,
      reason: 'test',
    })
    view.ingest({
      kind: 'error',
      venue: 'okx',
      market: 'spot',
      symbol: null,
      code: 'DECODE_ERROR',
      message: 'bad frame',
      hint: null,
      raw: null,
      receivedAt: 13_006,
    })
    const health = view.health()
    expect(health.map((entry) => entry.venue)).toEqual(['binance', 'okx'])
    const okx = health[1]!
    expect(okx.latency.count).toBe(30)
    expect(okx.latency.min).toBe(25)
    expect(okx.latency.max).toBe(25)
    expect(okx.latency.p99).toBe(25)
    expect(okx).toMatchObject({
      clockOffsetMs: 20,
      messages: 36,
      gaps: 1,
      resyncs: 1,
      reconnects: 1,
      errors: 1,
      state: 'resyncing',
      rateWindowSeconds: 10,
    })
    // 30 quotes over 10:00–12:90 s; the 10 s window before second 13 holds all of them.
    expect(okx.messagesPerSecond).toBe(3)
    expect(health[0]!.latency.max).toBe(10)
    view.setClockOffset('binance', -4)
    view.ingest(bbo('binance', 'BTC/USDT', 13_100, 100, 101, { exchangeTime: 13_090 }))
    expect(view.health()[0]!.latency.min).toBe(6)
  })
})
