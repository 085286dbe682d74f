import type { BookEvent, MarketEvent } from '@tickmesh/core'
import { marketEventSchema } from '@tickmesh/core'
import { describe, expect, it } from 'vitest'
import { readFixtureFrame } from '../../../test-support/fixtures'
import { createBybitFrameProcessor } from './bybit-frame-processor'

function book(
  type: 'snapshot' | 'delta',
  u: number,
  b: [string, string][],
  a: [string, string][],
  depth = 50,
): string {
  return JSON.stringify({
    topic: `orderbook.${depth}.BTCUSDT`,
    type,
    ts: 1000 + u,
    data: { s: 'BTCUSDT', b, a, u, seq: u * 10 },
    cts: 999 + u,
  })
}

function setup(options: { bookDepth?: number } = {}) {
  const events: MarketEvent[] = []
  const resyncs: string[] = []
  const processor = createBybitFrameProcessor({
    emit: (event) => {
      marketEventSchema.parse(event)
      events.push(event)
    },
    onResync: (market, topic) => resyncs.push(`${market}|${topic}`),
    ...options,
  })
  const books = () => events.filter((event): event is BookEvent => event.kind === 'book')
  return { events, resyncs, processor, books }
}

describe('createBybitFrameProcessor: books', () => {
  it('applies a snapshot then in-order deltas; size "0" deletes', () => {
    const { processor, books } = setup()
    processor.push(
      book(
        'snapshot',
        10,
        [
          ['100.0', '1'],
          ['99.5', '2'],
        ],
        [['100.5', '3']],
      ),
      'linear',
      1,
    )
    processor.push(
      book(
        'delta',
        11,
        [
          ['100.0', '0'],
          ['99.8', '4'],
        ],
        [['101.0', '1']],
      ),
      'linear',
      2,
    )
    expect(books().map((event) => [event.isSnapshot, event.sequence])).toEqual([
      [true, 10],
      [false, 11],
    ])
    expect(books()[1]).toMatchObject({
      symbol: 'BTC/USDT:USDT',
      bids: [
        [99.8, 4],
        [99.5, 2],
      ],
      asks: [
        [100.5, 3],
        [101, 1],
      ],
      exchangeTime: 1011,
    })
  })

  it('skips a re-sent u, reports a gap, resubscribes, and applies nothing until the next snapshot', () => {
    const { processor, books, events, resyncs } = setup()
    processor.push(book('snapshot', 10, [['100', '1']], [['101', '1']]), 'spot', 1)
    processor.push(book('delta', 10, [['100', '5']], []), 'spot', 2)
    expect(books()).toHaveLength(1)
    processor.push(book('delta', 12, [['100', '7']], []), 'spot', 3)
    expect(resyncs).toEqual(['spot|orderbook.50.BTCUSDT'])
    expect(events.slice(-2)).toEqual([
      expect.objectContaining({
        kind: 'error',
        code: 'SEQUENCE_GAP',
        symbol: 'BTC/USDT',
        message: expect.stringContaining('expected u 11, got 12'),
      }),
      expect.objectContaining({ kind: 'status', state: 'resyncing', symbol: 'BTC/USDT', channel: 'book' }),
    ])
    processor.push(book('delta', 13, [['100', '8']], []), 'spot', 4)
    expect(books()).toHaveLength(1)
    processor.push(book('snapshot', 20, [['100', '9']], [['101', '2']]), 'spot', 5)
    expect(events.at(-2)).toMatchObject({ kind: 'status', state: 'open', symbol: 'BTC/USDT' })
    expect(books().at(-1)).toMatchObject({ isSnapshot: true, sequence: 20, bids: [[100, 9]] })
    processor.push(book('delta', 21, [['99', '1']], []), 'spot', 6)
    expect(books().at(-1)).toMatchObject({
      sequence: 21,
      bids: [
        [100, 9],
        [99, 1],
      ],
    })
  })

  it('a delta with u == 1 overwrites the book (service restart)', () => {
    const { processor, books } = setup()
    processor.push(book('snapshot', 500, [['100', '1']], [['101', '1']]), 'linear', 1)
    processor.push(book('delta', 1, [['90', '1']], [['91', '1']]), 'linear', 2)
    expect(books().at(-1)).toMatchObject({ isSnapshot: true, sequence: 1, bids: [[90, 1]], asks: [[91, 1]] })
  })

  it('keeps the book at the subscribed depth and emits at most bookDepth levels', () => {
    const { processor, books } = setup({ bookDepth: 2 })
    const bids: [string, string][] = [
      ['10', '1'],
      ['9', '1'],
      ['8', '1'],
    ]
    processor.push(book('snapshot', 5, bids, [['11', '1']]), 'spot', 1)
    expect(books()[0]?.bids).toEqual([
      [10, 1],
      [9, 1],
    ])
  })

  it('a reset after a reconnect waits for the replayed snapshot', () => {
    const { processor, books, events } = setup()
    processor.push(book('snapshot', 5, [['10', '1']], [['11', '1']]), 'spot', 1)
    processor.resetTopics('spot', ['orderbook.50.BTCUSDT'])
    expect(events.at(-1)).toMatchObject({ kind: 'status', state: 'resyncing', symbol: 'BTC/USDT' })
    processor.push(book('delta', 6, [['10', '2']], []), 'spot', 2)
    expect(books()).toHaveLength(1)
    processor.push(book('snapshot', 9, [['10', '3']], [['11', '1']]), 'spot', 3)
    expect(books().at(-1)).toMatchObject({ sequence: 9, bids: [[10, 3]] })
  })

  it('orderbook.1 gives bbo, not book', () => {
    const { processor, events } = setup()
    processor.push(book('snapshot', 5, [['10', '1']], [['11', '2']], 1), 'spot', 1)
    expect(events).toEqual([expect.objectContaining({ kind: 'bbo', bidPrice: 10, askPrice: 11, askSize: 2 })])
  })
})

describe('createBybitFrameProcessor: tickers', () => {
  it('merges linear deltas over the snapshot and emits full tickers', () => {
    const { processor, events } = setup()
    processor.push(readFixtureFrame('bybit', 'real_tickers_linear_snapshot_BTCUSDT.json'), 'linear', 1)
    processor.push(readFixtureFrame('bybit', 'real_tickers_linear_delta_BTCUSDT.json'), 'linear', 2)
    expect(events[1]).toEqual({
      kind: 'ticker',
      venue: 'bybit',
      market: 'linear',
      symbol: 'BTC/USDT:USDT',
      venueSymbol: 'BTCUSDT',
      exchangeTime: 1786310817883,
      receivedAt: 2,
      last: 65114.3,
      bid: 65114.2,
      bidSize: 6.054,
      ask: 65114.3,
      askSize: 10.486,
      open24h: 65008.7,
      high24h: 65282.3,
      low24h: 64694.4,
      baseVolume24h: 17573.912,
      quoteVolume24h: 1142118412.9021,
    })
  })

  it('garbage becomes an error event and the processor goes on', () => {
    const { processor, events } = setup()
    processor.push('{"topic":', 'spot', 1)
    processor.push(readFixtureFrame('bybit', 'real_publicTrade_spot.json'), 'spot', 2)
    expect(events.map((event) => event.kind)).toEqual(['error', 'trade'])
  })

  it('a throwing consumer does not break processing', () => {
    let calls = 0
    const processor = createBybitFrameProcessor({
      emit: () => {
        calls++
        throw new Error('consumer bug')
      },
    })
    processor.push(readFixtureFrame('bybit', 'real_publicTrade_spot.json'), 'spot', 1)
    processor.push(readFixtureFrame('bybit', 'real_publicTrade_spot.json'), 'spot', 2)
    expect(calls).toBe(2)
  })
})

describe('createBybitFrameProcessor: depth window', () => {
  it('truncates after the whole delta, so an insert before a delete keeps the last level', () => {
    const { processor, books } = setup()
    const bids: [string, string][] = []
    for (let price = 150; price > 100; price--) bids.push([String(price), '1'])
    processor.push(book('snapshot', 1_000, bids, [['200', '1']]), 'spot', 1)
    // A better bid arrives and a mid-book bid leaves: the venue's 50th level (101) stays in the window.
    processor.push(
      book(
        'delta',
        1_001,
        [
          ['151', '2'],
          ['120', '0'],
        ],
        [],
      ),
      'spot',
      2,
    )
    const last = books().at(-1)
    expect(last?.bids).toHaveLength(50)
    expect(last?.bids.at(-1)).toEqual([101, 1])
    expect(last?.bids[0]).toEqual([151, 2])
  })
})
