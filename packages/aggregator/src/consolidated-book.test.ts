import { describe, expect, it } from 'vitest'
import { createMarketView } from './market-view'
import { bbo, book } from './test-events'
import { VenueBook } from './venue-book'

describe('venue book levels', () => {
  it('replaces on snapshots, applies deltas (size 0 deletes) and stays within its depth', () => {
    const levels = new VenueBook(3)
    levels.bids.replace(
      [
        [100, 1],
        [99, 2],
        [98, 0],
        [97, 3],
      ],
      1,
    )
    expect([...levels.bids.prices.subarray(0, levels.bids.count)]).toEqual([100, 99, 97])
    levels.bids.apply(
      [
        [99.5, 4],
        [100, 0],
        [96, 1],
      ],
      1,
    )
    // Inserting 99.5 into a full 3-level side pushed 97 out; deleting 100 then left room for 96.
    expect([...levels.bids.prices.subarray(0, levels.bids.count)]).toEqual([99.5, 99, 96])
    expect([...levels.bids.sizes.subarray(0, levels.bids.count)]).toEqual([4, 2, 1])
    levels.asks.apply(
      [
        [102, 1],
        [101, 1],
        [103, 1],
        [104, 1],
        [101, 5],
      ],
      1,
    )
    expect([...levels.asks.prices.subarray(0, levels.asks.count)]).toEqual([101, 102, 103])
    expect(levels.asks.sizes[0]).toBe(5)
  })
})

describe('consolidated L2 book', () => {
  it('merges the top levels across venues, each tagged with its venue', () => {
    const view = createMarketView()
    view.ingest(
      book(
        'binance',
        'BTC/USDT',
        0,
        [
          [100, 1],
          [99, 2],
        ],
        [
          [101, 1],
          [102, 2],
        ],
      ),
    )
    view.ingest(
      book(
        'okx',
        'BTC/USDT',
        1,
        [
          [100.5, 3],
          [100, 4],
        ],
        [
          [101.5, 1],
          [101.6, 2],
        ],
      ),
    )
    view.ingest(bbo('coinbase', 'BTC/USDT', 2, 99.5, 100.8, { bidSize: 0.5, askSize: 0.25 }))
    const merged = view.book('BTC/USDT', 4)!
    expect(merged.bids).toEqual([
      { price: 100.5, size: 3, venue: 'okx' },
      { price: 100, size: 4, venue: 'okx' },
      { price: 100, size: 1, venue: 'binance' },
      { price: 99.5, size: 0.5, venue: 'coinbase' },
    ])
    expect(merged.asks).toEqual([
      { price: 100.8, size: 0.25, venue: 'coinbase' },
      { price: 101, size: 1, venue: 'binance' },
      { price: 101.5, size: 1, venue: 'okx' },
      { price: 101.6, size: 2, venue: 'okx' },
    ])
    expect(merged.venues).toEqual(['binance', 'okx', 'coinbase'])
    // The book's top feeds the consolidated BBO too.
    expect(view.bbo('BTC/USDT')).toMatchObject({ bidPrice: 100.5, bidVenue: 'okx', askPrice: 100.8 })
  })

  it('applies book deltas and leaves stale venues out', () => {
    const view = createMarketView({ staleAfterMs: 100 })
    view.ingest(book('binance', 'BTC/USDT', 0, [[100, 1]], [[101, 1]]))
    view.ingest(book('binance', 'BTC/USDT', 10, [[100.2, 2]], [[101, 0]], false))
    expect(view.book('BTC/USDT')).toMatchObject({
      bids: [
        { price: 100.2, size: 2, venue: 'binance' },
        { price: 100, size: 1, venue: 'binance' },
      ],
      asks: [],
    })
    expect(view.bbo('BTC/USDT')).toMatchObject({ bidPrice: 100.2, askPrice: null })
    view.ingest(book('bybit', 'BTC/USDT', 200, [[99, 1]], [[102, 1]]))
    expect(view.book('BTC/USDT')).toMatchObject({ venues: ['bybit'], stale: ['binance'] })
  })
})
