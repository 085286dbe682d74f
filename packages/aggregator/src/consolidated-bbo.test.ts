import { describe, expect, it } from 'vitest'
import { createMarketView } from './market-view'
import { bbo, status } from './test-events'

describe('consolidated best bid/offer', () => {
  it('picks the highest bid and lowest ask across venues with venue, size and spread', () => {
    const view = createMarketView()
    view.ingest(bbo('binance', 'BTC/USDT', 1_000, 100, 101, { bidSize: 2, askSize: 3 }))
    view.ingest(bbo('bybit', 'BTC/USDT', 1_001, 100.5, 101.2, { bidSize: 0.7, askSize: 1 }))
    view.ingest(bbo('okx', 'BTC/USDT', 1_002, 99.8, 100.9, { bidSize: 5, askSize: 0.25 }))

    const best = view.bbo('BTC/USDT')!
    expect(best).toMatchObject({
      symbol: 'BTC/USDT',
      mergedQuotes: ['USDT'],
      bidPrice: 100.5,
      bidSize: 0.7,
      bidVenue: 'bybit',
      askPrice: 100.9,
      askSize: 0.25,
      askVenue: 'okx',
      crossed: false,
      venues: ['binance', 'bybit', 'okx'],
      stale: [],
      asOf: 1_002,
    })
    expect(best.spread).toBeCloseTo(0.4, 10)
    expect(best.mid).toBeCloseTo(100.7, 10)
    expect(best.spreadBps).toBeCloseTo((0.4 / 100.7) * 10_000, 8)
  })

  it('breaks price ties by the larger size', () => {
    const view = createMarketView()
    view.ingest(bbo('binance', 'ETH/USDT', 1, 2000, 2001, { bidSize: 1, askSize: 4 }))
    view.ingest(bbo('okx', 'ETH/USDT', 2, 2000, 2001, { bidSize: 3, askSize: 2 }))
    expect(view.bbo('ETH/USDT')).toMatchObject({
      bidVenue: 'okx',
      bidSize: 3,
      askVenue: 'binance',
      askSize: 4,
    })
  })

  it('leaves out quotes older than the staleness limit and reports them as stale', () => {
    const view = createMarketView({ staleAfterMs: 1_000 })
    view.ingest(bbo('binance', 'BTC/USDT', 0, 105, 106))
    view.ingest(bbo('bybit', 'BTC/USDT', 1_000, 100, 101))
    // At t=1000 binance is exactly 1000 ms old: still fresh (the limit is inclusive).
    expect(view.bbo('BTC/USDT')).toMatchObject({ bidPrice: 105, bidVenue: 'binance', askPrice: 101 })
    view.ingest(bbo('bybit', 'BTC/USDT', 1_001, 100, 101))
    expect(view.bbo('BTC/USDT')).toMatchObject({
      bidPrice: 100,
      bidVenue: 'bybit',
      askPrice: 101,
      askVenue: 'bybit',
      venues: ['bybit'],
      stale: ['binance'],
    })
  })

  it('applies a staleness limit per venue', () => {
    const view = createMarketView({ staleAfterMs: { coinbase: 10_000, binance: 500 } })
    view.ingest(bbo('coinbase', 'BTC/USDT', 0, 102, 103))
    view.ingest(bbo('binance', 'BTC/USDT', 0, 101, 102.5))
    view.ingest(bbo('okx', 'BTC/USDT', 4_000, 100, 104))
    // okx and coinbase are fresh (default 5 000 and 10 000 ms), binance (500 ms) is not.
    expect(view.bbo('BTC/USDT')).toMatchObject({
      bidPrice: 102,
      bidVenue: 'coinbase',
      askPrice: 103,
      askVenue: 'coinbase',
      stale: ['binance'],
    })
  })

  it('uses the injected clock for staleness', () => {
    let now = 0
    const view = createMarketView({ staleAfterMs: 100, now: () => now })
    view.ingest(bbo('binance', 'BTC/USDT', 0, 100, 101))
    expect(view.bbo('BTC/USDT')!.bidPrice).toBe(100)
    now = 101
    expect(view.bbo('BTC/USDT')).toMatchObject({
      bidPrice: null,
      askPrice: null,
      spread: null,
      stale: ['binance'],
    })
  })

  it('drops a venue at once when it reports reconnecting, closed or stale', () => {
    for (const state of ['reconnecting', 'closed', 'stale'] as const) {
      const view = createMarketView()
      view.ingest(bbo('binance', 'BTC/USDT', 0, 105, 106))
      view.ingest(bbo('bybit', 'BTC/USDT', 1, 100, 101))
      view.ingest(status('binance', state, 2))
      expect(view.bbo('BTC/USDT')).toMatchObject({ bidVenue: 'bybit', bidPrice: 100, venues: ['bybit'] })
      // Fresh quotes after reconnecting count again.
      view.ingest(status('binance', 'open', 3))
      view.ingest(bbo('binance', 'BTC/USDT', 4, 104, 106))
      expect(view.bbo('BTC/USDT')).toMatchObject({ bidVenue: 'binance', bidPrice: 104 })
    }
  })

  it('drops only the resyncing symbol, and only the market a status names', () => {
    const view = createMarketView()
    view.ingest(bbo('okx', 'BTC/USDT', 0, 100, 101))
    view.ingest(bbo('okx', 'ETH/USDT', 0, 2000, 2001))
    view.ingest(status('okx', 'resyncing', 1, { symbol: 'BTC/USDT' }))
    expect(view.bbo('BTC/USDT')!.bidPrice).toBeNull()
    expect(view.bbo('ETH/USDT')!.bidPrice).toBe(2000)
    view.ingest(status('okx', 'reconnecting', 2, { market: 'linear' }))
    expect(view.bbo('ETH/USDT')!.bidPrice).toBe(2000)
  })

  it('reports a crossed market when venues disagree', () => {
    const view = createMarketView()
    view.ingest(bbo('binance', 'BTC/USDT', 0, 99, 100))
    view.ingest(bbo('bybit', 'BTC/USDT', 0, 100.5, 101))
    const best = view.bbo('BTC/USDT')!
    expect(best.crossed).toBe(true)
    expect(best.spread).toBeCloseTo(-0.5, 10)
  })

  it('returns null for a symbol it has not seen and ignores one-sided tickers without a book top', () => {
    const view = createMarketView()
    expect(view.bbo('BTC/USDT')).toBeNull()
    view.ingest({
      kind: 'ticker',
      venue: 'binance',
      market: 'spot',
      symbol: 'BTC/USDT',
      venueSymbol: 'BTCUSDT',
      exchangeTime: null,
      receivedAt: 1,
      last: 100,
      bid: null,
      bidSize: null,
      ask: null,
      askSize: null,
      open24h: null,
      high24h: null,
      low24h: null,
      baseVolume24h: null,
      quoteVolume24h: null,
    })
    expect(view.bbo('BTC/USDT')).toBeNull()
  })
})
