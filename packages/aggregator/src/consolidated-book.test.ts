import { describe, expect, it } from 'vitest'
import { createMarketView } from './market-view'
import { bbo, book } from './test-events'
import { VenueBook } from './venue-book'

describe('venue book levels', () => {
  it('keeps the best levels sorted within its depth whatever the input order, skipping empty ones', () => {
    // Prices are stored times the slot's quote-equivalence factor (2 here, to see it applied).
    const levels = new VenueBook(3, 2)
    levels.bids.replace([
      [99, 2],
      [100, 1],
      [98, 0],
      [97, 3],
      [99.5, 4],
    ])
    expect([...levels.bids.prices.subarray(0, levels.bids.count)]).toEqual([200, 199, 198])
    expect([...levels.bids.sizes.subarray(0, levels.bids.count)]).toEqual([1, 4, 2])
    levels.asks.replace([
      [102, 1],
      [101, 1],
      [103, 1],
      [104, 1],
    ])
    expect([...levels.asks.prices.subarray(0, levels.asks.count)]).toEqual([202, 204, 206])
    levels.asks.replace([])
    expect(levels.asks.count).toBe(0)
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

  it('replaces a venue’s levels with each book event (the whole top, isSnapshot or not) and leaves stale venues out', () => {
    const view = createMarketView({ staleAfterMs: 100 })
    view.ingest(
      book(
        'bybit',
        'BTC/USDT',
        0,
        [
          [100, 1],
          [99, 1],
        ],
        [[101, 1]],
      ),
    )
    // The 100 bid was removed on the venue: the next event simply no longer lists it.
    view.ingest(book('bybit', 'BTC/USDT', 10, [[99, 1.5]], [[101, 2]], false))
    expect(view.book('BTC/USDT')).toMatchObject({
      bids: [{ price: 99, size: 1.5, venue: 'bybit' }],
      asks: [{ price: 101, size: 2, venue: 'bybit' }],
    })
    expect(view.bbo('BTC/USDT')).toMatchObject({ bidPrice: 99, askPrice: 101 })
    view.ingest(book('okx', 'BTC/USDT', 200, [[98, 1]], [[102, 1]]))
    expect(view.book('BTC/USDT')).toMatchObject({ venues: ['okx'], stale: ['bybit'] })
  })
})
