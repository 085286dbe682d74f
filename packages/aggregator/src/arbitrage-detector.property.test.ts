import type { BookLevel } from '@tickmesh/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { OpportunityEvent } from './arbitrage-detector'
import { createMarketView } from './market-view'
import { book } from './test-events'

const level = fc.tuple(
  fc.integer({ min: 9_900, max: 10_100 }).map((cents) => cents / 100),
  fc.integer({ min: 1, max: 500 }).map((lots) => lots / 100),
)
const side = fc.array(level, { minLength: 1, maxLength: 8 })

function sorted(levels: [number, number][], descending: boolean): BookLevel[] {
  const unique = new Map<number, number>()
  for (const [price, size] of levels) unique.set(price, size)
  return [...unique].sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0]))
}

describe('book-walk properties', () => {
  it('the VWAP edge never beats the touch, and the walked size respects the notional and both books', () => {
    fc.assert(
      fc.property(side, side, fc.integer({ min: 100, max: 200_000 }), (asksInput, bidsInput, notional) => {
        const events: OpportunityEvent[] = []
        const view = createMarketView({ takerFees: 0, threshold: 0, hysteresis: 0, notional })
        view.onOpportunity((event) => events.push(event))
        const asks = sorted(asksInput, false)
        const bids = sorted(bidsInput, true)
        view.ingest(book('binance', 'BTC/USDT', 0, [[1, 1]], asks))
        view.ingest(book('okx', 'BTC/USDT', 0, bids, [[100_000, 1]]))
        const touchEdge = bids[0]![0] / asks[0]![0] - 1
        if (!(touchEdge > 0)) {
          expect(events).toEqual([])
          return
        }
        // The walk may find the touch profitable but the VWAP not; only check what opened.
        const opened = events.find((event) => event.type === 'opened')
        if (!opened) return
        const opportunity = opened.opportunity
        expect(opportunity.sizing).toBe('book-vwap')
        expect(opportunity.netEdge).toBeLessThanOrEqual(touchEdge + 1e-12)
        expect(opportunity.buyPrice).toBeGreaterThanOrEqual(asks[0]![0] - 1e-9)
        expect(opportunity.sellPrice).toBeLessThanOrEqual(bids[0]![0] + 1e-9)
        const askDepth = asks.reduce((sum, [, size]) => sum + size, 0)
        const bidDepth = bids.reduce((sum, [, size]) => sum + size, 0)
        expect(opportunity.size!).toBeLessThanOrEqual(Math.min(askDepth, bidDepth) + 1e-9)
        expect(opportunity.notional!).toBeLessThanOrEqual(notional + 1e-6)
      }),
      { numRuns: 300 },
    )
  })
})
