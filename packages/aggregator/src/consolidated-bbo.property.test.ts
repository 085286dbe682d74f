import type { VenueId } from '@tickmesh/core'
import { VENUES } from '@tickmesh/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMarketView } from './market-view'
import { bbo, status } from './test-events'

const STALE: Record<VenueId, number> = { binance: 300, bybit: 500, okx: 800, coinbase: 1_200 }

type Step =
  | { kind: 'quote'; venue: VenueId; dt: number; bid: number | null; ask: number | null }
  | { kind: 'drop'; venue: VenueId; dt: number }

const price = fc.integer({ min: 9_000, max: 11_000 }).map((cents) => cents / 100)
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.record({
      kind: fc.constant('quote' as const),
      venue: fc.constantFrom(...VENUES),
      dt: fc.integer({ min: 0, max: 400 }),
      bid: fc.option(price, { freq: 8 }),
      ask: fc.option(price, { freq: 8 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('drop' as const),
      venue: fc.constantFrom(...VENUES),
      dt: fc.integer({ min: 0, max: 400 }),
    }),
  },
)

describe('consolidated BBO properties', () => {
  it('the best bid is always the highest fresh bid and the best ask the lowest fresh ask', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 80 }), (steps) => {
        const view = createMarketView({ staleAfterMs: STALE, threshold: 0.5 })
        // The reference model: the last quote per venue, forgotten on a drop.
        const model = new Map<VenueId, { bid: number | null; ask: number | null; at: number }>()
        let now = 0
        for (const item of steps) {
          now += item.dt
          if (item.kind === 'drop') {
            view.ingest(status(item.venue, 'reconnecting', now))
            model.delete(item.venue)
          } else {
            view.ingest(bbo(item.venue, 'BTC/USDT', now, item.bid, item.ask))
            model.set(item.venue, { bid: item.bid, ask: item.ask, at: now })
          }
          const best = view.bbo('BTC/USDT')
          if (best === null) continue
          let highestBid: number | null = null
          let lowestAsk: number | null = null
          const fresh = new Set<VenueId>()
          for (const [venue, quote] of model) {
            if (now - quote.at > STALE[venue]) continue
            fresh.add(venue)
            if (quote.bid !== null && (highestBid === null || quote.bid > highestBid)) highestBid = quote.bid
            if (quote.ask !== null && (lowestAsk === null || quote.ask < lowestAsk)) lowestAsk = quote.ask
          }
          expect(best.bidPrice).toBe(highestBid)
          expect(best.askPrice).toBe(lowestAsk)
          // Whatever crosses, crosses between fresh quotes only.
          if (best.bidVenue !== null) expect(fresh.has(best.bidVenue)).toBe(true)
          if (best.askVenue !== null) expect(fresh.has(best.askVenue)).toBe(true)
          for (const venue of best.stale) expect(fresh.has(venue)).toBe(false)
          if (best.crossed) expect(best.bidPrice! >= best.askPrice!).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('an open opportunity never has a stale or dropped leg', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 80 }), (steps) => {
        const view = createMarketView({
          staleAfterMs: STALE,
          takerFees: 0,
          threshold: 0.001,
          hysteresis: 0.0005,
        })
        const lastSeen = new Map<VenueId, number>()
        let now = 0
        for (const item of steps) {
          now += item.dt
          if (item.kind === 'drop') {
            view.ingest(status(item.venue, 'closed', now))
            lastSeen.delete(item.venue)
          } else {
            view.ingest(bbo(item.venue, 'BTC/USDT', now, item.bid, item.ask))
            lastSeen.set(item.venue, now)
          }
          view.sweep()
          for (const opportunity of view.opportunities()) {
            for (const venue of [opportunity.buyVenue, opportunity.sellVenue]) {
              const at = lastSeen.get(venue)
              expect(at).toBeDefined()
              expect(now - at!).toBeLessThanOrEqual(STALE[venue])
            }
            expect(opportunity.netEdge).toBeGreaterThanOrEqual(0.0005 - 1e-12)
          }
        }
      }),
      { numRuns: 200 },
    )
  })
})
