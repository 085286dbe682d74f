import { describe, expect, it } from 'vitest'
import { VenueHistory } from './history'
import { createMarketView } from './market-view'
import { NumericRing } from './ring-buffer'
import { bbo, trade } from './test-events'

describe('ring buffer', () => {
  it('keeps the newest records up to its capacity and finds a time by binary search', () => {
    const ring = new NumericRing(3, 2)
    for (let i = 1; i <= 5; i++) ring.push(i * 10, i)
    expect(ring.size).toBe(3)
    expect([ring.get(0, 0), ring.get(1, 0), ring.get(2, 0)]).toEqual([30, 40, 50])
    expect([ring.get(0, 1), ring.get(2, 1)]).toEqual([3, 5])
    expect(ring.firstAtOrAfter(35)).toBe(1)
    expect(ring.firstAtOrAfter(0)).toBe(0)
    expect(ring.firstAtOrAfter(51)).toBe(3)
  })
})

describe('history statistics', () => {
  it('computes returns, realized volatility, VWAP and trade imbalance over a window', () => {
    const view = createMarketView({ staleAfterMs: 60_000 })
    view.ingest(bbo('binance', 'BTC/USDT', 1_000, 99, 101)) // mid 100 (outside a 5 s window at t=7000)
    view.ingest(bbo('binance', 'BTC/USDT', 3_000, 101, 103)) // mid 102
    view.ingest(bbo('binance', 'BTC/USDT', 4_000, 101, 103)) // same mid: not a new sample
    view.ingest(bbo('binance', 'BTC/USDT', 5_000, 100, 102)) // mid 101
    view.ingest(bbo('binance', 'BTC/USDT', 6_000, 102, 104)) // mid 103
    view.ingest(trade('binance', 'BTC/USDT', 1_500, 100, 9, 'buy')) // outside the window
    view.ingest(trade('binance', 'BTC/USDT', 4_500, 101, 1, 'buy'))
    view.ingest(trade('binance', 'BTC/USDT', 5_500, 102, 3, 'sell'))
    view.ingest(trade('binance', 'BTC/USDT', 7_000, 104, 2, 'buy'))

    const stats = view.history('BTC/USDT', 'binance', 5_000)!
    expect(stats).toMatchObject({
      windowMs: 5_000,
      midSamples: 3,
      firstMid: 102,
      lastMid: 103,
      tradeCount: 3,
    })
    expect(stats.return).toBeCloseTo(103 / 102 - 1, 12)
    expect(stats.logReturn).toBeCloseTo(Math.log(103 / 102), 12)
    const r1 = Math.log(101 / 102)
    const r2 = Math.log(103 / 101)
    expect(stats.realizedVolatility).toBeCloseTo(Math.sqrt(r1 * r1 + r2 * r2), 12)
    expect(stats.volume).toBe(6)
    expect(stats.buyVolume).toBe(3)
    expect(stats.sellVolume).toBe(3)
    expect(stats.vwap).toBeCloseTo((101 + 306 + 208) / 6, 12)
    expect(stats.tradeImbalance).toBe(0)
    expect(view.history('BTC/USDT', 'okx', 5_000)).toBeNull()
  })

  it('reports nulls for an empty window and stays bounded', () => {
    const history = new VenueHistory(4, 4)
    expect(history.stats(1_000, 0)).toMatchObject({
      midSamples: 0,
      firstMid: null,
      return: null,
      realizedVolatility: null,
      vwap: null,
      tradeImbalance: null,
    })
    for (let i = 0; i < 100; i++) {
      history.recordMid(Float64Array.of(0, 0, i), { bid: 99 + i, ask: 101 + i })
      history.recordTrade(trade('okx', 'BTC/USDT', i, 50, 1, i % 4 === 0 ? 'sell' : 'buy'), { factor: 2 })
    }
    expect(history.mids.size).toBe(4)
    const stats = history.stats(1_000, 99)
    expect(stats).toMatchObject({ midSamples: 4, firstMid: 196, lastMid: 199, tradeCount: 4, vwap: 100 })
    expect(stats.tradeImbalance).toBeCloseTo(0.5, 12)
  })
})
