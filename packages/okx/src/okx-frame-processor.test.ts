import { type BookEvent, type MarketEvent, marketEventSchema } from '@tickmesh/core'
import { describe, expect, it } from 'vitest'
import { readFixture, readFixtureFrame } from '../../../test-support/fixtures'
import { createOkxFrameProcessor } from './okx-frame-processor'

interface Level {
  bids?: string[][]
  asks?: string[][]
}

function booksFrame(
  action: 'snapshot' | 'update',
  prevSeqId: number,
  seqId: number,
  levels: Level,
  checksum = 0,
): string {
  return JSON.stringify({
    arg: { channel: 'books', instId: 'BTC-USDT' },
    action,
    data: [
      {
        asks: (levels.asks ?? []).map(([px, sz]) => [px, sz, '0', '1']),
        bids: (levels.bids ?? []).map(([px, sz]) => [px, sz, '0', '1']),
        ts: '1700000000000',
        checksum,
        prevSeqId,
        seqId,
      },
    ],
  })
}

function setup(bookDepth?: number) {
  const events: MarketEvent[] = []
  const resyncs: string[] = []
  const processor = createOkxFrameProcessor({
    emit: (event) => {
      marketEventSchema.parse(event)
      events.push(event)
    },
    contractValueOf: () => undefined,
    onResync: (instId, channel, reason) => resyncs.push(`${channel}:${instId}:${reason}`),
    ...(bookDepth === undefined ? {} : { bookDepth }),
  })
  const books = () => events.filter((event): event is BookEvent => event.kind === 'book')
  return { processor, events, resyncs, books }
}

const snapshot = booksFrame('snapshot', -1, 100, {
  bids: [
    ['100.5', '2'],
    ['100', '1'],
  ],
  asks: [
    ['101', '3'],
    ['102', '4'],
  ],
})

describe('createOkxFrameProcessor: OKX books sequence rules', () => {
  it('snapshot then chained updates: replace, delete with "0", insert sorted', () => {
    const { processor, books } = setup()
    processor.push(snapshot, 'spot', 1)
    processor.push(
      booksFrame('update', 100, 103, {
        bids: [
          ['100.5', '0'],
          ['100.7', '5'],
        ],
        asks: [['101.5', '1']],
      }),
      'spot',
      2,
    )
    // Every book event is the whole top; isSnapshot says which frame OKX sent.
    expect(books().map((event) => event.isSnapshot)).toEqual([true, false])
    const last = books().at(-1)!
    expect(last).toMatchObject({
      symbol: 'BTC/USDT',
      sequence: 103,
      isSnapshot: false,
      exchangeTime: 1700000000000,
    })
    expect(last.bids).toEqual([
      [100.7, 5],
      [100, 1],
    ])
    expect(last.asks).toEqual([
      [101, 3],
      [101.5, 1],
      [102, 4],
    ])
  })

  it('a heartbeat (no levels, prevSeqId == seqId) keeps the book without an event; a reset (seqId < prevSeqId) applies', () => {
    const { processor, books, resyncs } = setup()
    processor.push(snapshot, 'spot', 1)
    processor.push(booksFrame('update', 100, 100, {}), 'spot', 2)
    expect(books()).toHaveLength(1)
    processor.push(booksFrame('update', 100, 5, { asks: [['101', '0']] }), 'spot', 3)
    expect(books().at(-1)).toMatchObject({ sequence: 5, asks: [[102, 4]] })
    processor.push(booksFrame('update', 5, 6, { asks: [['103', '1']] }), 'spot', 4)
    expect(books().at(-1)?.sequence).toBe(6)
    expect(resyncs).toEqual([])
  })

  it('a gap emits SEQUENCE_GAP, status resyncing, asks for a resync and applies nothing until the next snapshot', () => {
    const { processor, events, books, resyncs } = setup()
    processor.push(snapshot, 'spot', 1)
    processor.push(booksFrame('update', 101, 102, { bids: [['99', '1']] }), 'spot', 2)
    expect(events.find((event) => event.kind === 'error')).toMatchObject({
      code: 'SEQUENCE_GAP',
      symbol: 'BTC/USDT',
    })
    expect(events.find((event) => event.kind === 'status')).toMatchObject({
      state: 'resyncing',
      symbol: 'BTC/USDT',
      channel: 'book',
    })
    expect(resyncs).toHaveLength(1)
    expect(resyncs[0]).toContain('books:BTC-USDT')
    processor.push(booksFrame('update', 102, 103, { bids: [['98', '1']] }), 'spot', 3)
    expect(books()).toHaveLength(1)
    processor.push(booksFrame('snapshot', -1, 200, { bids: [['97', '1']], asks: [['98', '1']] }), 'spot', 4)
    expect(events.filter((event) => event.kind === 'status').at(-1)).toMatchObject({
      state: 'open',
      symbol: 'BTC/USDT',
    })
    expect(books().at(-1)).toMatchObject({ sequence: 200, bids: [[97, 1]] })
  })

  it('verifies non-zero checksums with the documented vectors and resyncs on a mismatch', () => {
    const vectors = JSON.parse(readFixture('okx', 'derived_checksum_test_vectors.json')) as Record<
      string,
      { bids: string[][]; asks: string[][]; crc32_signed: number }
    >
    const good = vectors.doc_example_1_more_than_25_levels!
    const { processor, events, resyncs } = setup()
    processor.push(booksFrame('snapshot', -1, 1, good, good.crc32_signed), 'spot', 1)
    expect(events.filter((event) => event.kind === 'error')).toEqual([])
    // Example 2's book is example 1 minus bid 3366 plus ask 3372.
    const second = vectors.doc_example_2_less_than_25_levels!
    processor.push(
      booksFrame('update', 1, 2, { bids: [['3366', '0']], asks: [['3372', '8']] }, second.crc32_signed),
      'spot',
      2,
    )
    expect(events.filter((event) => event.kind === 'error')).toEqual([])
    processor.push(booksFrame('update', 2, 3, { asks: [['3373', '1']] }, 12345), 'spot', 3)
    expect(events.find((event) => event.kind === 'error')).toMatchObject({ code: 'CHECKSUM_MISMATCH' })
    expect(resyncs).toHaveLength(1)
  })

  it('the doc snapshot with checksum 0 syncs; updates before any snapshot are ignored', () => {
    const { processor, books } = setup(3)
    processor.push(readFixtureFrame('okx', 'doc_books_update_2026.json'), 'spot', 1)
    expect(books()).toHaveLength(0)
    processor.push(readFixtureFrame('okx', 'doc_books_snapshot_2026.json'), 'spot', 2)
    expect(books()[0]).toMatchObject({
      sequence: 123456,
      bids: [
        [8476.97, 256],
        [8475.55, 101],
        [8475.54, 100],
      ],
      asks: [
        [8476.98, 415],
        [8477, 7],
        [8477.34, 85],
      ],
    })
    processor.push(readFixtureFrame('okx', 'doc_books_update_2026.json'), 'spot', 3)
    expect(books().at(-1)?.sequence).toBe(123457)
  })

  it('a reset of the market forgets its books and says so per symbol', () => {
    const { processor, events, books } = setup()
    processor.push(snapshot, 'spot', 1)
    processor.reset('spot')
    expect(events.at(-1)).toMatchObject({ kind: 'status', state: 'resyncing', symbol: 'BTC/USDT' })
    processor.push(booksFrame('update', 100, 101, { bids: [['1', '1']] }), 'spot', 2)
    expect(books()).toHaveLength(1)
  })

  it('other channels pass through the pure decoder; garbage becomes an error event', () => {
    const { processor, events } = setup()
    processor.push(readFixtureFrame('okx', 'doc_trades.json'), 'spot', 5)
    processor.push('{"arg":', 'spot', 6)
    processor.push('pong', 'spot', 7)
    expect(events.map((event) => event.kind)).toEqual(['trade', 'error'])
  })

  it('without a contract value source it loads instruments through the injected fetch and holds frames meanwhile', async () => {
    const events: MarketEvent[] = []
    const fetched: string[] = []
    const fakeFetch: typeof fetch = async (input) => {
      const url = String(input)
      fetched.push(url)
      const data = url.includes('SWAP')
        ? [
            {
              instType: 'SWAP',
              instId: 'BCH-USDT-SWAP',
              ctVal: '0.1',
              tickSz: '0.01',
              lotSz: '1',
              state: 'live',
            },
          ]
        : [{ instType: 'SPOT', instId: 'BTC-USDT', tickSz: '0.1', lotSz: '0.00000001', state: 'live' }]
      return new Response(JSON.stringify({ code: '0', msg: '', data }), { status: 200 })
    }
    const processor = createOkxFrameProcessor({
      emit: (event) => events.push(event),
      fetch: fakeFetch,
      restUrl: 'http://127.0.0.1:1',
    })
    processor.push(readFixtureFrame('okx', 'doc_bbo-tbt.json'), 'linear', 1)
    expect(events).toEqual([])
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(fetched.some((url) => url.includes('instType=SWAP'))).toBe(true)
    expect(events[0]).toMatchObject({ kind: 'bbo', bidSize: 5774.5, askSize: 5515.4 })
  })
})
