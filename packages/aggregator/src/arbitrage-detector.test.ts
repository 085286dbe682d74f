import { describe, expect, it } from 'vitest'
import type { OpportunityEvent } from './arbitrage-detector'
import { createMarketView } from './market-view'
import type { MarketViewOptions } from './market-view-options'
import { bbo, book, status } from './test-events'

function recorder(options: MarketViewOptions = {}) {
  const events: OpportunityEvent[] = []
  const view = createMarketView({ ...options, onOpportunity: (event) => events.push(event) })
  return { view, events }
}

const net = (sell: number, buy: number, sellFee = 0.001, buyFee = 0.001) =>
  (sell * (1 - sellFee)) / (buy * (1 + buyFee)) - 1

describe('arbitrage detection', () => {
  it('opens, updates and closes one opportunity with hysteresis, net of taker fees', () => {
    const { view, events } = recorder()
    view.ingest(bbo('binance', 'BTC/USDT', 1_000, 99.9, 100, { bidSize: 1, askSize: 2 }))
    view.ingest(bbo('bybit', 'BTC/USDT', 1_010, 100.1, 100.2, { bidSize: 1, askSize: 1 }))
    // 100.1 vs 100 is 0.1% gross but negative after two 0.10% fees: nothing opens.
    expect(events).toEqual([])

    view.ingest(bbo('bybit', 'BTC/USDT', 1_020, 100.5, 100.6, { bidSize: 1.5, askSize: 1 }))
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      type: 'opened',
      opportunity: {
        id: 'BTC/USDT#1',
        symbol: 'BTC/USDT',
        buyVenue: 'binance',
        sellVenue: 'bybit',
        buyPrice: 100,
        sellPrice: 100.5,
        size: 1.5,
        notional: 150,
        sizing: 'top-of-book',
        buyFee: 0.001,
        sellFee: 0.001,
        openedAt: 1_020,
        mergedQuotes: ['USDT'],
      },
    })
    const opened = events[0]!.opportunity
    expect(opened.grossEdge).toBeCloseTo(0.005, 12)
    expect(opened.netEdge).toBeCloseTo(net(100.5, 100), 12)
    expect(view.opportunities()).toHaveLength(1)

    // Edge shrinks to ~0.08%: below the 0.1% threshold but above threshold - hysteresis (0.05%).
    view.ingest(bbo('bybit', 'BTC/USDT', 1_030, 100.28, 100.6, { bidSize: 1, askSize: 1 }))
    expect(events).toHaveLength(2)
    expect(events[1]).toMatchObject({
      type: 'updated',
      opportunity: { id: 'BTC/USDT#1', sellPrice: 100.28, size: 1 },
    })
    expect(events[1]!.opportunity.netEdge).toBeCloseTo(net(100.28, 100), 12)
    expect(events[1]!.opportunity.peakNetEdge).toBeCloseTo(net(100.5, 100), 12)

    // Same prices again: no update event (no flood).
    view.ingest(bbo('bybit', 'BTC/USDT', 1_035, 100.28, 100.6, { bidSize: 1, askSize: 1 }))
    expect(events).toHaveLength(2)

    view.ingest(bbo('bybit', 'BTC/USDT', 1_050, 100.2, 100.6))
    expect(events).toHaveLength(3)
    expect(events[2]).toMatchObject({
      type: 'closed',
      reason: 'below-threshold',
      closedAt: 1_050,
      opportunity: { id: 'BTC/USDT#1', openedAt: 1_020, durationMs: 30, sellPrice: 100.28 },
    })
    expect(events[2]!.opportunity.peakNetEdge).toBeCloseTo(net(100.5, 100), 12)
    expect(view.opportunities()).toEqual([])
  })

  it('throttles updated events with opportunityUpdateIntervalMs but keeps the opportunity current', () => {
    const { view, events } = recorder({ takerFees: 0, opportunityUpdateIntervalMs: 100 })
    view.ingest(bbo('binance', 'BTC/USDT', 0, 99, 100))
    view.ingest(bbo('okx', 'BTC/USDT', 0, 101, 102))
    for (let t = 10; t <= 150; t += 10) view.ingest(bbo('okx', 'BTC/USDT', t, 101 + t / 1000, 102))
    // Opened at 0; the changes at 10..90 are folded; the one at 100 goes out; 110..150 are folded.
    expect(events.map((event) => [event.type, event.opportunity.updatedAt])).toEqual([
      ['opened', 0],
      ['updated', 100],
    ])
    expect(view.opportunities()[0]).toMatchObject({ sellPrice: 101.15, updatedAt: 150 })
    // A change of venue is reported at once.
    view.ingest(bbo('bybit', 'BTC/USDT', 160, 101.5, 102))
    expect(events[2]).toMatchObject({ type: 'updated', opportunity: { sellVenue: 'bybit', updatedAt: 160 } })
    expect(() => createMarketView({ opportunityUpdateIntervalMs: -1 })).toThrow(/opportunityUpdateIntervalMs/)
  })

  it('uses per-venue fees, Coinbase 0.60% by default, and overrides', () => {
    const { view, events } = recorder()
    view.ingest(bbo('coinbase', 'BTC/USDT', 0, 99, 100, { askSize: 1 }))
    view.ingest(bbo('okx', 'BTC/USDT', 0, 100.7, 101))
    // 0.7% gross minus 0.6% + 0.1% fees is below the threshold.
    expect(events).toEqual([])

    const cheaper = recorder({ takerFees: { coinbase: 0.001 } })
    cheaper.view.ingest(bbo('coinbase', 'BTC/USDT', 0, 99, 100, { askSize: 1 }))
    cheaper.view.ingest(bbo('okx', 'BTC/USDT', 0, 100.7, 101))
    expect(cheaper.events).toHaveLength(1)
    expect(cheaper.events[0]!.opportunity).toMatchObject({
      buyVenue: 'coinbase',
      sellVenue: 'okx',
      buyFee: 0.001,
    })
    expect(cheaper.events[0]!.opportunity.netEdge).toBeCloseTo(net(100.7, 100), 12)
  })

  it('follows the best fee-adjusted pair, never pairing a venue with itself', () => {
    const { view, events } = recorder({ takerFees: 0 })
    // One tight venue holding both best prices is not an opportunity.
    view.ingest(bbo('binance', 'SOL/USDT', 0, 200, 200.1))
    view.ingest(bbo('okx', 'SOL/USDT', 0, 199, 201))
    expect(events).toEqual([])

    // A venue crossed with itself (bad data) never trades against itself: with okx the best pair is
    // buy okx @2004, sell binance @2010 (0.30%), not buy binance @2000.5, sell okx @2003 (0.12%).
    view.ingest(bbo('binance', 'ETH/USDT', 0, 2010, 2000.5))
    expect(events).toEqual([])
    view.ingest(bbo('okx', 'ETH/USDT', 0, 2003, 2004))
    expect(events[0]).toMatchObject({
      type: 'opened',
      opportunity: { buyVenue: 'okx', sellVenue: 'binance' },
    })
    // A cheaper ask elsewhere moves the buy leg of the same opportunity: updated, not a new one.
    view.ingest(bbo('bybit', 'ETH/USDT', 0, 1999, 2001))
    expect(events).toHaveLength(2)
    expect(events[1]).toMatchObject({
      type: 'updated',
      opportunity: {
        id: 'ETH/USDT#1',
        buyVenue: 'bybit',
        sellVenue: 'binance',
        buyPrice: 2001,
        sellPrice: 2010,
      },
    })
  })

  it('moves a leg off a venue that goes stale while another pair keeps the edge', () => {
    let now = 0
    const { view, events } = recorder({ staleAfterMs: { okx: 100 }, now: () => now })
    view.ingest(bbo('okx', 'BTC/USDT', 0, 99, 100))
    view.ingest(bbo('binance', 'BTC/USDT', 0, 99, 100.2))
    view.ingest(bbo('bybit', 'BTC/USDT', 0, 101, 102))
    expect(events[0]!.opportunity).toMatchObject({ buyVenue: 'okx', sellVenue: 'bybit' })
    now = 150
    view.sweep()
    expect(events[1]).toMatchObject({
      type: 'updated',
      opportunity: { buyVenue: 'binance', buyPrice: 100.2 },
    })
  })

  it('closes when a leg goes stale, found by sweep with the injected clock', () => {
    let now = 0
    const { view, events } = recorder({ staleAfterMs: 500, now: () => now })
    view.ingest(bbo('binance', 'BTC/USDT', 0, 99, 100))
    view.ingest(bbo('bybit', 'BTC/USDT', 0, 101, 102))
    expect(events.map((event) => event.type)).toEqual(['opened'])
    now = 400
    view.sweep()
    expect(events).toHaveLength(1)
    now = 501
    view.sweep()
    expect(events).toHaveLength(2)
    expect(events[1]).toMatchObject({
      type: 'closed',
      reason: 'stale',
      closedAt: 501,
      opportunity: { durationMs: 501 },
    })
  })

  it('closes at once when a leg disconnects', () => {
    const { view, events } = recorder()
    view.ingest(bbo('binance', 'BTC/USDT', 0, 99, 100))
    view.ingest(bbo('bybit', 'BTC/USDT', 0, 101, 102))
    view.ingest(status('bybit', 'reconnecting', 5, { attempt: 1 }))
    expect(events.map((event) => event.type)).toEqual(['opened', 'closed'])
    expect(events[1]).toMatchObject({ reason: 'disconnected', closedAt: 5 })
  })

  it('closes when a leg stops quoting the side it trades', () => {
    const { view, events } = recorder()
    view.ingest(bbo('binance', 'BTC/USDT', 0, 99, 100))
    view.ingest(bbo('bybit', 'BTC/USDT', 0, 101, 102))
    view.ingest(bbo('binance', 'BTC/USDT', 1, 99, null))
    expect(events[1]).toMatchObject({ type: 'closed', reason: 'quote-missing' })
  })

  it('reports a null size when a venue sends no sizes', () => {
    const { view, events } = recorder()
    view.ingest(bbo('binance', 'BTC/USDT', 0, 99, 100, { askSize: null }))
    view.ingest(bbo('bybit', 'BTC/USDT', 0, 101, 102))
    expect(events[0]!.opportunity).toMatchObject({ size: null, notional: null })
  })

  it('walks both L2 books for the configured notional (VWAP edge and size)', () => {
    const { view, events } = recorder({ takerFees: 0, notional: 101 })
    view.ingest(
      book(
        'binance',
        'BTC/USDT',
        0,
        [[99, 1]],
        [
          [100, 0.5],
          [102, 1],
        ],
      ),
    )
    view.ingest(
      book(
        'bybit',
        'BTC/USDT',
        0,
        [
          [103, 0.4],
          [102.5, 2],
        ],
        [[104, 1]],
      ),
    )
    // 101 USDT buys 0.5 @ 100 + 0.5 @ 102 = 1 BTC at VWAP 101; selling 1 BTC gets 0.4 @ 103 + 0.6 @ 102.5.
    expect(events).toHaveLength(1)
    const opportunity = events[0]!.opportunity
    expect(opportunity).toMatchObject({ sizing: 'book-vwap', buyVenue: 'binance', sellVenue: 'bybit' })
    expect(opportunity.size).toBeCloseTo(1, 12)
    expect(opportunity.buyPrice).toBeCloseTo(101, 12)
    expect(opportunity.sellPrice).toBeCloseTo(102.7, 12)
    expect(opportunity.netEdge).toBeCloseTo(102.7 / 101 - 1, 12)
    expect(opportunity.notional).toBeCloseTo(101, 10)
  })

  it('caps the book walk by the depth of the thinner side', () => {
    const { view, events } = recorder({ takerFees: 0, notional: 1_000_000 })
    view.ingest(book('binance', 'BTC/USDT', 0, [[99, 1]], [[100, 5]]))
    view.ingest(
      book(
        'bybit',
        'BTC/USDT',
        0,
        [
          [102, 0.5],
          [101, 0.5],
        ],
        [[104, 1]],
      ),
    )
    const opportunity = events[0]!.opportunity
    expect(opportunity.size).toBeCloseTo(1, 12)
    expect(opportunity.buyPrice).toBeCloseTo(100, 12)
    expect(opportunity.sellPrice).toBeCloseTo(101.5, 12)
  })

  it('tracks one opportunity per symbol independently and numbers them', () => {
    const { view, events } = recorder()
    view.ingest(bbo('binance', 'BTC/USDT', 0, 99, 100))
    view.ingest(bbo('okx', 'BTC/USDT', 0, 101, 102))
    view.ingest(bbo('binance', 'ETH/USDT', 0, 1999, 2000))
    view.ingest(bbo('okx', 'ETH/USDT', 0, 2020, 2021))
    expect(events.map((event) => event.opportunity.id)).toEqual(['BTC/USDT#1', 'ETH/USDT#2'])
    view.close()
    expect(
      events.slice(2).map((event) => [event.type, event.type === 'closed' ? event.reason : null]),
    ).toEqual([
      ['closed', 'view-closed'],
      ['closed', 'view-closed'],
    ])
  })

  it('keeps going when a listener throws', () => {
    const view = createMarketView({
      onOpportunity: () => {
        throw new Error('listener bug')
      },
    })
    const seen: string[] = []
    view.onOpportunity((event) => seen.push(event.type))
    view.ingest(bbo('binance', 'BTC/USDT', 0, 99, 100))
    view.ingest(bbo('okx', 'BTC/USDT', 0, 101, 102))
    expect(seen).toEqual(['opened'])
  })
})
