import { describe, expect, it } from 'vitest'
import { createMarketView } from './market-view'
import { bbo } from './test-events'

describe('symbol summary', () => {
  it('gives min/max/mean mid, range as % of mean and each venue’s deviation from the consolidated mid', () => {
    const view = createMarketView({ staleAfterMs: 1_000 })
    view.ingest(bbo('binance', 'BTC/USDT', 0, 99, 101)) // mid 100
    view.ingest(bbo('bybit', 'BTC/USDT', 0, 101, 103)) // mid 102
    view.ingest(bbo('okx', 'BTC/USDT', 0, 100, 102)) // mid 101
    view.ingest(bbo('coinbase', 'BTC/USDT', 0, 100, null)) // one-sided: no mid
    const summary = view.summary('BTC/USDT')!
    expect(summary).toMatchObject({
      symbol: 'BTC/USDT',
      venueCount: 3,
      minMid: 100,
      maxMid: 102,
      meanMid: 101,
      midRange: 2,
      stale: [],
    })
    expect(summary.midRangePctOfMean).toBeCloseTo((2 / 101) * 100, 12)
    // Consolidated: best bid 101 (bybit), best ask 101 (binance) → mid 101.
    expect(summary.consolidatedMid).toBe(101)
    expect(summary.venues.map((line) => [line.venue, line.mid])).toEqual([
      ['binance', 100],
      ['bybit', 102],
      ['okx', 101],
    ])
    expect(summary.venues[0]!.deviationFromConsolidatedMidBps).toBeCloseTo((-1 / 101) * 10_000, 10)
    expect(summary.venues[1]!.deviationFromConsolidatedMidBps).toBeCloseTo((1 / 101) * 10_000, 10)
    expect(summary.venues[2]!.deviationFromConsolidatedMidBps).toBe(0)
  })

  it('leaves stale venues out of the figures and lists them', () => {
    const view = createMarketView({ staleAfterMs: 1_000 })
    view.ingest(bbo('binance', 'BTC/USDT', 0, 50, 51))
    view.ingest(bbo('bybit', 'BTC/USDT', 2_000, 101, 103))
    expect(view.summary('BTC/USDT')).toMatchObject({
      venueCount: 1,
      minMid: 102,
      maxMid: 102,
      stale: ['binance'],
    })
    expect(view.summary('ETH/USDT')).toBeNull()
  })
})
