import { ConfigError } from '@tickmesh/core'
import { describe, expect, it } from 'vitest'
import { createMarketView } from './market-view'
import { resolveQuoteEquivalence, routeSymbol } from './quote-equivalence'
import { bbo } from './test-events'

describe('quote equivalence', () => {
  it('is off by default: BTC/USD and BTC/USDT stay apart', () => {
    const view = createMarketView()
    view.ingest(bbo('coinbase', 'BTC/USD', 0, 100, 101))
    view.ingest(bbo('binance', 'BTC/USDT', 0, 100.2, 100.8))
    expect(view.symbols().sort()).toEqual(['BTC/USD', 'BTC/USDT'])
    expect(view.bbo('BTC/USDT')).toMatchObject({ venues: ['binance'], mergedQuotes: ['USDT'] })
  })

  it('merges USD into USDT with a basis and says which quotes were merged', () => {
    const events: unknown[] = []
    const view = createMarketView({
      quoteEquivalence: [{ quote: 'USD', as: 'USDT', basisBps: -10 }],
      takerFees: 0,
      onOpportunity: (event) => events.push(event),
    })
    view.ingest(bbo('binance', 'BTC/USDT', 0, 99.8, 99.9))
    view.ingest(bbo('coinbase', 'BTC/USD', 0, 100.2, 100.3))
    expect(view.symbols()).toEqual(['BTC/USDT'])
    const best = view.bbo('BTC/USDT')!
    // 100.2 USD × 0.999 = 100.0998 USDT.
    expect(best.bidVenue).toBe('coinbase')
    expect(best.bidPrice).toBeCloseTo(100.0998, 10)
    expect(best.mergedQuotes).toEqual(['USDT', 'USD'])
    expect(view.summary('BTC/USDT')!.venues.map((line) => line.sourceSymbol)).toEqual(['BTC/USDT', 'BTC/USD'])
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      type: 'opened',
      opportunity: { buySymbol: 'BTC/USDT', sellSymbol: 'BTC/USD', mergedQuotes: ['USDT', 'USD'] },
    })
  })

  it('accepts the USD=USDT shorthand and renames a linear settle currency too', () => {
    const rules = resolveQuoteEquivalence(['USD=USDT'])
    expect(routeSymbol('BTC/USD', rules)).toEqual({ group: 'BTC/USDT', quote: 'USD', factor: 1 })
    expect(routeSymbol('BTC/USD:USD', rules)).toMatchObject({ group: 'BTC/USDT:USDT' })
    expect(routeSymbol('BTC/USD:BTC', rules)).toMatchObject({ group: 'BTC/USDT:BTC' })
    expect(routeSymbol('ETH/BTC', rules)).toEqual({ group: 'ETH/BTC', quote: 'BTC', factor: 1 })
  })

  it('rejects unusable rules with a ConfigError and a hint', () => {
    expect(() => createMarketView({ quoteEquivalence: ['USD=USD'] })).toThrow(ConfigError)
    expect(() =>
      createMarketView({ quoteEquivalence: [{ quote: 'USD', as: 'USDT', basisBps: Number.NaN }] }),
    ).toThrow(/basis/)
    expect(() => createMarketView({ quoteEquivalence: ['USD=USDT', 'USD=USDC'] })).toThrow(
      /two equivalence rules/,
    )
  })
})
