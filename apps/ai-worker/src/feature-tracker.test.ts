import { createMarketView } from '@tickmesh/aggregator'
import type { BboEvent, MarketEvent, TradeEvent, VenueId } from '@tickmesh/core'
import { describe, expect, it } from 'vitest'
import { FeatureTracker } from './feature-tracker'
import { localAnomaly } from './local-analyst'

const T0 = Date.UTC(2026, 10, 25, 12)

function bbo(venue: VenueId, time: number, bid: number, ask: number): BboEvent {
  return {
    kind: 'bbo',
    venue,
    market: 'spot',
    symbol: 'BTC/USDT',
    venueSymbol: 'BTCUSDT',
    exchangeTime: time,
    receivedAt: time,
    bidPrice: bid,
    bidSize: 1,
    askPrice: ask,
    askSize: 1,
  }
}

function trade(
  venue: VenueId,
  time: number,
  price: number,
  amount: number,
  side: 'buy' | 'sell',
): TradeEvent {
  return {
    kind: 'trade',
    venue,
    market: 'spot',
    symbol: 'BTC/USDT',
    venueSymbol: 'BTCUSDT',
    exchangeTime: time,
    receivedAt: time,
    id: `${time}-${venue}`,
    price,
    amount,
    side,
  }
}

/** A scripted market: one sample per second, mids wobbling ±1 around 60 000 on two venues. */
function calmMarket(seconds: number) {
  let clock = T0
  const view = createMarketView({ now: () => clock, staleAfterMs: Number.POSITIVE_INFINITY })
  const tracker = new FeatureTracker(view, {
    symbols: ['BTC/USDT'],
    windowMs: 120_000,
    shortWindowMs: 10_000,
  })
  const feed = (event: MarketEvent) => {
    view.ingest(event)
    tracker.observe(event)
  }
  for (let second = 0; second < seconds; second++) {
    clock = T0 + second * 1_000
    const wobble = second % 2 === 0 ? 1 : -1
    feed(bbo('binance', clock, 59_999 + wobble, 60_001 + wobble))
    feed(bbo('okx', clock, 59_999.5 + wobble, 60_001.5 + wobble))
    feed(trade('binance', clock, 60_000, 0.1, second % 2 === 0 ? 'buy' : 'sell'))
    tracker.sample()
  }
  return {
    view,
    tracker,
    feed,
    advance: (ms: number) => {
      clock += ms
      return clock
    },
    now: () => clock,
  }
}

describe('feature tracker over a scripted market view', () => {
  it('a calm market has a small z-score, usual volume and no anomaly', () => {
    const { tracker } = calmMarket(90)
    const features = tracker.features('BTC/USDT')
    // Last second's wobble is -1: best bid 59 998.5 (okx), best ask 60 000 (binance).
    expect(features.mid).toBeCloseTo(59_999.25, 6)
    expect(features.venues).toEqual(['binance', 'okx'])
    expect(Math.abs(features.zScore!)).toBeLessThan(2)
    expect(features.volumeRatio!).toBeGreaterThan(0.8)
    expect(features.volumeRatio!).toBeLessThan(1.25)
    expect(Math.abs(features.tradeImbalance!)).toBeLessThan(0.15)
    expect(features.dispersionBps!).toBeLessThan(1)
    expect(features.disruptions).toBe(0)
    expect(features.spreadRatio).toBeCloseTo(1, 1)
    expect(features.historyMs).toBe(89_000)
    expect(localAnomaly(features).isAnomaly).toBe(false)
  })

  it('a price spike with heavy buying shows as a large z-score, a volume spike and an anomaly', () => {
    const { tracker, feed, advance } = calmMarket(90)
    const time = advance(1_000)
    feed(bbo('binance', time, 60_300, 60_302))
    feed(bbo('okx', time, 60_300.5, 60_302.5))
    for (let i = 0; i < 20; i++) feed(trade('binance', time, 60_301, 0.5, 'buy'))
    tracker.sample()
    const features = tracker.features('BTC/USDT')
    expect(features.zScore!).toBeGreaterThan(50)
    expect(features.volumeRatio!).toBeGreaterThan(4)
    expect(features.tradeImbalance!).toBeGreaterThan(0.8)
    expect(features.return!).toBeGreaterThan(0)
    const anomaly = localAnomaly(features)
    expect(anomaly.isAnomaly).toBe(true)
    expect(anomaly.zScore).toBe(features.zScore)
  })

  it('venues disagreeing widen the dispersion; resyncs count as disruptions', () => {
    const { tracker, feed, advance } = calmMarket(30)
    const time = advance(1_000)
    feed({
      kind: 'status',
      venue: 'okx',
      market: 'spot',
      state: 'resyncing',
      reason: 'sequence gap',
      symbol: 'BTC/USDT',
      channel: 'book',
      url: null,
      attempt: 0,
      receivedAt: time,
    })
    // The rebuilt book comes back 33 bps away from binance.
    feed(bbo('okx', time, 60_200, 60_202))
    const features = tracker.features('BTC/USDT')
    expect(features.dispersionBps!).toBeGreaterThan(25)
    expect(features.disruptions).toBe(1)
  })

  it('a widening spread shows in the spread ratio; a crossed market is dispersion, not a spread', () => {
    const { tracker, feed, advance } = calmMarket(30)
    let time = advance(1_000)
    feed(bbo('binance', time, 59_990, 60_010))
    feed(bbo('okx', time, 59_990, 60_010))
    tracker.sample()
    expect(tracker.features('BTC/USDT').spreadRatio!).toBeGreaterThan(10)
    time = advance(1_000)
    feed(bbo('okx', time, 60_020, 60_022))
    tracker.sample()
    const crossed = tracker.features('BTC/USDT')
    expect(crossed.spreadBps!).toBeLessThan(0)
    expect(crossed.spreadRatio).toBeNull()
  })

  it('reports no z-score and no volume ratio before it has a baseline', () => {
    const { tracker } = calmMarket(5)
    const features = tracker.features('BTC/USDT')
    expect(features.zScore).toBeNull()
    expect(features.volumeRatio).toBeNull()
    expect(features.midSamples).toBe(5)
  })

  it('keeps a bounded number of samples', () => {
    let clock = T0
    const view = createMarketView({ now: () => clock, staleAfterMs: Number.POSITIVE_INFINITY })
    const tracker = new FeatureTracker(view, {
      symbols: ['BTC/USDT'],
      windowMs: 3_600_000,
      sampleCapacity: 16,
    })
    for (let second = 0; second < 100; second++) {
      clock = T0 + second * 1_000
      view.ingest(bbo('binance', clock, 100 + second, 101 + second))
      tracker.sample()
    }
    expect(tracker.features('BTC/USDT').midSamples).toBe(16)
  })
})
