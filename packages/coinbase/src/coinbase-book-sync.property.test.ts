import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createCoinbaseFrameProcessor } from './coinbase-frame-processor'

// Property: after any snapshot and any sequence of l2updates (absolute sizes, "0" removes), the
// emitted top of book equals a plain reference model of the same changes.

const price = fc.integer({ min: 1, max: 200 })
const size = fc.oneof(
  fc.constant('0'),
  fc.integer({ min: 1, max: 10_000 }).map((lots) => (lots / 100).toFixed(8)),
)
/** Snapshot levels: unique prices, sizes above zero (as a venue snapshot has them). */
const snapshotSide = fc.uniqueArray(
  fc.tuple(
    fc.integer({ min: 1, max: 200 }),
    fc.integer({ min: 1, max: 10_000 }).map((lots) => (lots / 100).toFixed(8)),
  ),
  { maxLength: 40, selector: ([ticks]) => ticks },
)
const change = fc.tuple(fc.constantFrom('buy', 'sell'), price, size)

function reference(levels: Map<string, string>, descending: boolean, depth: number): [number, number][] {
  return [...levels]
    .map(([p, s]): [number, number] => [Number(p), Number(s)])
    .filter(([, s]) => s > 0)
    .sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0]))
    .slice(0, depth)
}

describe('coinbase book sync property', () => {
  it('equals a reference model after any snapshot and updates', () => {
    fc.assert(
      fc.property(
        snapshotSide,
        snapshotSide,
        fc.array(fc.array(change, { minLength: 1, maxLength: 4 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 20 }),
        (bids, asks, updates, depth) => {
          // Keep the snapshot uncrossed (bids below 50, asks above), as a venue book is.
          const snapshotBids = bids.map(([ticks, s]): [string, string] => [(ticks / 4).toFixed(2), s])
          const snapshotAsks = asks.map(([ticks, s]): [string, string] => [(ticks / 4 + 50.25).toFixed(2), s])
          const bidModel = new Map<string, string>()
          const askModel = new Map<string, string>()
          for (const [p, s] of snapshotBids) bidModel.set(Number(p).toFixed(2), s)
          for (const [p, s] of snapshotAsks) askModel.set(Number(p).toFixed(2), s)
          let last: { bids: [number, number][]; asks: [number, number][] } | null = null
          let resynced = false
          const processor = createCoinbaseFrameProcessor({
            emit: (event) => {
              if (event.kind === 'book') last = { bids: event.bids, asks: event.asks }
              if (event.kind === 'status' && event.state === 'resyncing') resynced = true
            },
            bookDepth: depth,
          })
          processor.push(
            JSON.stringify({
              type: 'snapshot',
              product_id: 'BTC-USD',
              bids: snapshotBids,
              asks: snapshotAsks,
            }),
            'spot',
            0,
          )
          for (const changes of updates) {
            // Updates on the side they belong to, so the book stays uncrossed.
            const sided = changes.map(([side, p, s]) => [
              side,
              side === 'buy' ? (p / 4).toFixed(2) : (p / 4 + 50.25).toFixed(2),
              s,
            ])
            for (const [side, p, s] of sided)
              (side === 'buy' ? bidModel : askModel).set(p as string, s as string)
            processor.push(
              JSON.stringify({
                type: 'l2update',
                product_id: 'BTC-USD',
                changes: sided,
                time: '2024-01-01T00:00:00Z',
              }),
              'spot',
              1,
            )
          }
          expect(resynced).toBe(false)
          const book = last as { bids: [number, number][]; asks: [number, number][] } | null
          expect(book?.bids).toEqual(reference(bidModel, true, depth))
          expect(book?.asks).toEqual(reference(askModel, false, depth))
          processor.close()
        },
      ),
      { numRuns: 200 },
    )
  })
})
