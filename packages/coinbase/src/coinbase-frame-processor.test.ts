import type { MarketEvent, RawItem } from '@tickmesh/core'
import { marketEventSchema } from '@tickmesh/core'
import { describe, expect, it } from 'vitest'
import { readFixtureFrame } from '../../../test-support/fixtures'
import type { CoinbaseFrameProcessorOptions } from './coinbase-frame-processor'
import { createCoinbaseFrameProcessor } from './coinbase-frame-processor'

const frame = (file: string) => readFixtureFrame('coinbase', file)

function harness(options: Partial<CoinbaseFrameProcessorOptions> = {}) {
  const events: MarketEvent[] = []
  const snapshots: string[] = []
  const processor = createCoinbaseFrameProcessor({
    emit: (event) => events.push(marketEventSchema.parse(event) as MarketEvent),
    restUrl: 'http://127.0.0.1:1',
    requestSnapshot: (productId) => snapshots.push(productId),
    ...options,
  })
  let at = 1_000
  const push = (text: string | object) =>
    processor.push(typeof text === 'string' ? text : JSON.stringify(text), 'spot', at++)
  return { processor, events, snapshots, push }
}

const match = (id: number, price = '100.00', time = '2024-01-01T00:00:00.000000Z', type = 'match') => ({
  type,
  trade_id: id,
  maker_order_id: 'm',
  taker_order_id: 't',
  side: 'sell',
  size: '1.5',
  price,
  product_id: 'BTC-USD',
  sequence: 1000 + id,
  time,
})

/** A fetch answering REST `/products/BTC-USD/trades` from a list, newest first, honoring `after`/`limit`. */
function tradesFetch(ids: number[], calls: string[]): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = new URL(String(input))
    calls.push(url.pathname + url.search)
    const after = Number(url.searchParams.get('after') ?? Number.POSITIVE_INFINITY)
    const limit = Number(url.searchParams.get('limit') ?? 100)
    const rows = ids
      .filter((id) => id < after)
      .sort((a, b) => b - a)
      .slice(0, limit)
      .map((id) => ({
        time: '2024-01-01T00:00:00.5Z',
        trade_id: id,
        price: '101.00',
        size: '0.5',
        side: 'buy',
      }))
    return new Response(JSON.stringify(rows), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    })
  }) as typeof fetch
}

describe('coinbase frame processor: books', () => {
  it('syncs from the snapshot fixture and applies l2updates in arrival order', () => {
    const { push, events } = harness()
    push(frame('doc_l2update_single.json'))
    expect(events).toEqual([])
    push(frame('doc_level2_snapshot.json'))
    push(frame('doc_l2update_single.json'))
    const books = events.filter((e) => e.kind === 'book')
    expect(books.map((e) => e.kind === 'book' && [e.bids, e.asks])).toEqual([
      [[[10101.1, 0.4505414]], [[10102.55, 0.57753524]]],
      [
        [
          [10101.8, 0.162567],
          [10101.1, 0.4505414],
        ],
        [[10102.55, 0.57753524]],
      ],
    ])
    expect(books.map((e) => e.kind === 'book' && e.isSnapshot)).toEqual([true, false])
    expect(books[1]).toMatchObject({
      symbol: 'BTC/USD',
      sequence: null,
      exchangeTime: Date.parse('2019-08-14T20:42:27.265Z'),
    })
  })

  it('removes a level on size 0 and keeps the configured depth', () => {
    const { push, events } = harness({ bookDepth: 1 })
    push({
      type: 'snapshot',
      product_id: 'BTC-USD',
      bids: [
        ['10', '1'],
        ['9', '2'],
      ],
      asks: [
        ['11', '1'],
        ['12', '3'],
      ],
    })
    push({
      type: 'l2update',
      product_id: 'BTC-USD',
      changes: [
        ['buy', '10', '0'],
        ['sell', '11', '0.000'],
      ],
      time: '2024-01-01T00:00:00Z',
    })
    const last = events[events.length - 1]
    expect(last).toMatchObject({ kind: 'book', bids: [[9, 2]], asks: [[12, 3]] })
  })

  it('resyncs only the product whose update was malformed, then reports it open again', () => {
    const { push, events, snapshots } = harness()
    push({ type: 'snapshot', product_id: 'BTC-USD', bids: [['10', '1']], asks: [['11', '1']] })
    push({ type: 'snapshot', product_id: 'ETH-USD', bids: [['1', '1']], asks: [['2', '1']] })
    events.length = 0
    push({
      type: 'l2update',
      product_id: 'BTC-USD',
      changes: [['buy', 'x', '1']],
      time: '2024-01-01T00:00:00Z',
    })
    expect(snapshots).toEqual(['BTC-USD'])
    expect(events.map((e) => e.kind)).toEqual(['error', 'status'])
    expect(events[1]).toMatchObject({ state: 'resyncing', symbol: 'BTC/USD', channel: 'book' })
    // Updates wait for the new snapshot; the other product goes on.
    push({
      type: 'l2update',
      product_id: 'BTC-USD',
      changes: [['buy', '10.5', '1']],
      time: '2024-01-01T00:00:00Z',
    })
    push({
      type: 'l2update',
      product_id: 'ETH-USD',
      changes: [['buy', '1.5', '1']],
      time: '2024-01-01T00:00:00Z',
    })
    expect(events.slice(2)).toEqual([expect.objectContaining({ kind: 'book', symbol: 'ETH/USD' })])
    push({ type: 'snapshot', product_id: 'BTC-USD', bids: [['10', '2']], asks: [['11', '1']] })
    expect(events.slice(3).map((e) => (e.kind === 'status' ? e.state : e.kind))).toEqual(['open', 'book'])
  })

  it('resyncs a book that crossed', () => {
    const { push, events, snapshots } = harness()
    push({ type: 'snapshot', product_id: 'BTC-USD', bids: [['10', '1']], asks: [['11', '1']] })
    push({
      type: 'l2update',
      product_id: 'BTC-USD',
      changes: [['buy', '12', '1']],
      time: '2024-01-01T00:00:00Z',
    })
    expect(snapshots).toEqual(['BTC-USD'])
    expect(events[events.length - 1]).toMatchObject({ kind: 'status', state: 'resyncing' })
  })

  it('waits for a fresh snapshot after reset (reconnect)', () => {
    const { push, events, processor } = harness()
    push({ type: 'snapshot', product_id: 'BTC-USD', bids: [['10', '1']], asks: [['11', '1']] })
    processor.reset('spot')
    expect(events[events.length - 1]).toMatchObject({ kind: 'status', state: 'resyncing', symbol: 'BTC/USD' })
    const count = events.length
    push({
      type: 'l2update',
      product_id: 'BTC-USD',
      changes: [['buy', '10.5', '1']],
      time: '2024-01-01T00:00:00Z',
    })
    expect(events.length).toBe(count)
    expect(processor.book('BTC-USD')).toBeNull()
  })
})

describe('coinbase frame processor: tickers, trades and candles', () => {
  it('skips a ticker whose sequence is not newer', () => {
    const { push, events } = harness()
    push(frame('doc_ticker.json'))
    push(frame('doc_ticker.json'))
    expect(events.map((e) => e.kind)).toEqual(['ticker', 'bbo'])
  })

  it('uses last_match as the baseline and emits trades in id order', () => {
    const { push, events } = harness()
    push(match(9, '100.00', '2024-01-01T00:00:00.000000Z', 'last_match'))
    push(match(10))
    push(match(10))
    expect(events.map((e) => e.kind === 'trade' && e.id)).toEqual(['10'])
    expect(events[0]).toMatchObject({ side: 'buy', amount: 1.5, price: 100 })
  })

  it('backfills missed trades from REST before the trade after the gap', async () => {
    const calls: string[] = []
    const raw: RawItem[] = []
    const { push, events } = harness({
      fetch: tradesFetch([1, 2, 3, 4, 5], calls),
      onRaw: (item) => raw.push(item),
    })
    push(match(1))
    push(match(2))
    push(match(5))
    push(match(6))
    await expect.poll(() => events.filter((e) => e.kind === 'trade').length).toBe(6)
    expect(events.map((e) => (e.kind === 'trade' ? e.id : e.kind === 'status' ? e.state : e.kind))).toEqual([
      '1',
      '2',
      'resyncing',
      '3',
      '4',
      'open',
      '5',
      '6',
    ])
    expect(calls).toEqual(['/products/BTC-USD/trades?after=5&limit=2'])
    // REST side is the maker's: a maker buy means a taker sell.
    expect(events[3]).toMatchObject({ kind: 'trade', side: 'sell', price: 101, amount: 0.5 })
    expect(raw).toEqual([expect.objectContaining({ kind: 'rest', venue: 'coinbase', status: 200 })])
  })

  it('emits a gap event when REST cannot fill the gap, then goes on', async () => {
    const failing = (async () =>
      new Response('{"message":"NotFound"}', { status: 404 })) as unknown as typeof fetch
    const { push, events } = harness({ fetch: failing })
    push(match(1))
    push(match(4))
    await expect.poll(() => events.some((e) => e.kind === 'trade' && e.id === '4')).toBe(true)
    const gap = events.find((e) => e.kind === 'gap')
    expect(gap).toMatchObject({ channel: 'trades', fromId: '1', toId: '4', symbol: 'BTC/USD' })
    expect(gap?.kind === 'gap' && gap.reason).toMatch(/REST backfill failed/)
  })

  it('fetches at most backfillLimit trades and reports the older part as a gap', async () => {
    const calls: string[] = []
    const { push, events } = harness({ fetch: tradesFetch([1, 2, 3, 4, 5, 6, 7], calls), backfillLimit: 2 })
    push(match(1))
    push(match(7))
    await expect.poll(() => events.some((e) => e.kind === 'trade' && e.id === '7')).toBe(true)
    expect(calls).toEqual(['/products/BTC-USD/trades?after=7&limit=2'])
    expect(events.filter((e) => e.kind === 'trade').map((e) => e.kind === 'trade' && e.id)).toEqual([
      '1',
      '5',
      '6',
      '7',
    ])
    expect(events.find((e) => e.kind === 'gap')).toMatchObject({
      fromId: '1',
      toId: '5',
      reason: 'more than 2 trades missed',
    })
  })

  it('bounds the live trades held during a backfill and refetches the ones it dropped', async () => {
    let release: (() => void) | null = null
    const calls: string[] = []
    const answer = tradesFetch([2, 3], calls)
    const slowFirst = (async (input: string | URL | Request) => {
      if (calls.length === 0) {
        await new Promise<void>((resolve) => {
          release = resolve
        })
      }
      return answer(input)
    }) as typeof fetch
    const { push, events } = harness({ fetch: slowFirst, maxPendingTrades: 2 })
    push(match(1))
    push(match(3))
    await expect.poll(() => release !== null).toBe(true)
    // Holding 3 and 4, the arrival of 5 drops the oldest held trade (3).
    push(match(4))
    push(match(5))
    ;(release as unknown as () => void)()
    await expect.poll(() => events.some((e) => e.kind === 'trade' && e.id === '5')).toBe(true)
    expect(events.filter((e) => e.kind === 'trade').map((e) => e.kind === 'trade' && e.id)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ])
    expect(calls).toEqual([
      '/products/BTC-USD/trades?after=3&limit=1',
      '/products/BTC-USD/trades?after=4&limit=1',
    ])
    expect(events.some((e) => e.kind === 'gap')).toBe(false)
  })

  it('notices trades missed at the end from the heartbeat last_trade_id (second sighting)', async () => {
    const calls: string[] = []
    const { push, events } = harness({ fetch: tradesFetch([7, 8, 9], calls) })
    push(match(7, '100.00', '2024-01-01T00:00:00.000000Z', 'last_match'))
    const heartbeat = {
      type: 'heartbeat',
      last_trade_id: 9,
      product_id: 'BTC-USD',
      sequence: 1,
      time: '2024-01-01T00:00:01Z',
    }
    push(heartbeat)
    expect(calls).toEqual([])
    push(heartbeat)
    await expect
      .poll(() => events.filter((e) => e.kind === 'trade').map((e) => e.kind === 'trade' && e.id))
      .toEqual(['8', '9'])
  })

  it('builds candles from trades and closes them on the next interval or the clock', () => {
    const { push, events, processor } = harness()
    processor.addCandles('BTC-USD', '1m')
    push(match(1, '100.00', '2024-01-01T00:00:10.000000Z'))
    push(match(2, '103.00', '2024-01-01T00:00:20.000000Z'))
    push(match(3, '99.00', '2024-01-01T00:00:59.999000Z'))
    push(match(4, '101.00', '2024-01-01T00:01:00.000000Z'))
    const candles = events.filter((e) => e.kind === 'candle')
    const closed = candles.find((e) => e.kind === 'candle' && e.closed)
    expect(closed).toMatchObject({
      interval: '1m',
      openTime: Date.parse('2024-01-01T00:00:00Z'),
      open: 100,
      high: 103,
      low: 99,
      close: 99,
      volume: 4.5,
      closed: true,
    })
    expect(candles[candles.length - 1]).toMatchObject({ open: 101, closed: false })
    processor.flushCandles(Date.parse('2024-01-01T00:02:00Z'))
    expect(events[events.length - 1]).toMatchObject({ kind: 'candle', open: 101, closed: true })
    // A late trade of a closed interval does not reopen it.
    const count = events.length
    push(match(5, '50.00', '2024-01-01T00:01:30.000000Z'))
    expect(events.filter((e) => e.kind === 'candle').length).toBe(candles.length + 1)
    expect(events.length).toBe(count + 1)
  })
})

describe('coinbase frame processor is total', () => {
  it('turns garbage into error events and never throws', () => {
    const { push, events } = harness()
    for (const text of [
      'garbage',
      '{"type":',
      '[]',
      'null',
      '{"type":"l2update"}',
      '{"type":"snapshot","bids":1}',
    ]) {
      expect(() => push(text)).not.toThrow()
    }
    expect(events.every((e) => e.kind === 'error' && e.code === 'DECODE_ERROR')).toBe(true)
    expect(events.length).toBe(6)
  })
})
