import type { MarketEvent } from '@tickmesh/core'
import { ConfigError } from '@tickmesh/core'
import { describe, expect, it } from 'vitest'
import { createMarketView } from './market-view'
import { bbo, trade } from './test-events'

describe('market view', () => {
  it('rejects invalid settings with a ConfigError naming the setting', () => {
    expect(() => createMarketView({ threshold: Number.NaN })).toThrow(ConfigError)
    expect(() => createMarketView({ hysteresis: -0.1 })).toThrow(/hysteresis/)
    expect(() => createMarketView({ takerFees: { okx: 0.5 } })).toThrow(/takerFees/)
    expect(() => createMarketView({ staleAfterMs: 0 })).toThrow(/staleAfterMs/)
    expect(() => createMarketView({ bookDepth: 0 })).toThrow(/bookDepth/)
    expect(() => createMarketView({ notional: -1 })).toThrow(/notional/)
    expect(() => createMarketView({ staleAfterMs: Number.POSITIVE_INFINITY })).not.toThrow()
  })

  it('never stales a quote when staleAfterMs is Infinity', () => {
    const view = createMarketView({ staleAfterMs: Number.POSITIVE_INFINITY })
    view.ingest(bbo('binance', 'BTC/USDT', 0, 100, 101))
    view.ingest(bbo('okx', 'ETH/USDT', 1e12, 100, 101))
    expect(view.bbo('BTC/USDT')).toMatchObject({ bidPrice: 100, stale: [] })
  })

  it('keeps at most maxSymbols symbol groups and counts what it ignores', () => {
    const view = createMarketView({ maxSymbols: 2 })
    view.ingest(bbo('binance', 'BTC/USDT', 0, 100, 101))
    view.ingest(bbo('binance', 'ETH/USDT', 0, 100, 101))
    view.ingest(bbo('binance', 'SOL/USDT', 0, 100, 101))
    view.ingest(trade('okx', 'SOL/USDT', 0, 100, 1, 'buy'))
    expect(view.symbols()).toEqual(['BTC/USDT', 'ETH/USDT'])
    expect(view.bbo('SOL/USDT')).toBeNull()
    expect(view.droppedEvents).toBe(2)
  })

  it('binds a venue to the first of two symbols merged into one group', () => {
    const view = createMarketView({ quoteEquivalence: ['USD=USDT'] })
    view.ingest(bbo('coinbase', 'BTC/USDT', 0, 100, 101))
    view.ingest(bbo('coinbase', 'BTC/USD', 1, 90, 91))
    expect(view.bbo('BTC/USDT')).toMatchObject({ bidPrice: 100, mergedQuotes: ['USDT'] })
    expect(view.droppedEvents).toBe(1)
  })

  it('never throws on a malformed event and keeps working', () => {
    const view = createMarketView()
    view.ingest({ kind: 'bbo', venue: 'binance', receivedAt: 0 } as unknown as MarketEvent)
    view.ingest({ kind: 'bbo', venue: 'nowhere', receivedAt: 0 } as unknown as MarketEvent)
    view.ingest(bbo('binance', 'BTC/USDT', 1, 100, 101))
    expect(view.bbo('BTC/USDT')!.bidPrice).toBe(100)
  })

  it('stops applying events after close', () => {
    const view = createMarketView()
    view.ingest(bbo('binance', 'BTC/USDT', 0, 100, 101))
    view.close()
    view.ingest(bbo('binance', 'BTC/USDT', 1, 102, 103))
    expect(view.bbo('BTC/USDT')!.bidPrice).toBe(100)
  })
})
