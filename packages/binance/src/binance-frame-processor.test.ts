import type { MarketEvent } from '@tickmesh/core'
import { marketEventSchema } from '@tickmesh/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { BinanceFrameProcessor } from './binance-frame-processor'
import { createBinanceFrameProcessor } from './binance-frame-processor'

function depthFrame(
  U: number,
  u: number,
  bids: [string, string][],
  asks: [string, string][],
  pu?: number,
): string {
  return JSON.stringify({
    stream: 'bnbbtc@depth@100ms',
    data: {
      e: 'depthUpdate',
      E: 1,
      s: 'BNBBTC',
      U,
      u,
      ...(pu === undefined ? {} : { pu }),
      b: bids,
      a: asks,
    },
  })
}

function snapshotBody(lastUpdateId: number, bids: [string, string][], asks: [string, string][]): string {
  return JSON.stringify({ lastUpdateId, bids, asks })
}

/** A fetch answering depth requests from a queue of (status, body); records requested URLs. */
function fakeFetch(answers: { status: number; body: string }[]) {
  const urls: string[] = []
  const fetchImpl = (async (input: string | URL | Request) => {
    urls.push(String(input))
    const answer = answers.shift() ?? { status: 500, body: '{"code":-1001,"msg":"no more answers"}' }
    return new Response(answer.body, {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    })
  }) as typeof fetch
  return { fetchImpl, urls }
}

const until = async (predicate: () => boolean, timeoutMs = 5_000): Promise<void> => {
  const start = Date.now()
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

let processor: BinanceFrameProcessor | null = null
afterEach(() => {
  processor?.close()
  processor = null
})

function setup(answers: { status: number; body: string }[]) {
  const events: MarketEvent[] = []
  const { fetchImpl, urls } = fakeFetch(answers)
  processor = createBinanceFrameProcessor({
    emit: (event) => {
      marketEventSchema.parse(event)
      events.push(event)
    },
    restUrl: 'http://127.0.0.1:1',
    fetch: fetchImpl,
    snapshotRetry: { baseDelayMs: 5, maxDelayMs: 20 },
  })
  const books = () => events.filter((event) => event.kind === 'book')
  return { events, urls, books, processor }
}

describe('createBinanceFrameProcessor: spot book sync', () => {
  it('buffers, fetches the snapshot, discards stale events and applies the rest in order', async () => {
    const { processor, urls, books, events } = setup([
      { status: 200, body: snapshotBody(160, [['0.0024', '10']], [['0.0026', '100']]) },
    ])
    processor.push(depthFrame(157, 160, [['0.0024', '99']], []), 'spot', 1)
    processor.push(depthFrame(161, 163, [['0.0023', '5']], [['0.0026', '0']]), 'spot', 2)
    await until(() => books().length > 0)
    expect(urls[0]).toBe('http://127.0.0.1:1/api/v3/depth?symbol=BNBBTC&limit=1000')
    // 157..160 is already in the snapshot (u <= lastUpdateId) and must not overwrite it.
    expect(books().at(-1)).toMatchObject({
      symbol: 'BNB/BTC',
      sequence: 163,
      isSnapshot: true,
      bids: [
        [0.0024, 10],
        [0.0023, 5],
      ],
      asks: [],
    })
    expect(events.find((event) => event.kind === 'status')).toMatchObject({
      state: 'open',
      symbol: 'BNB/BTC',
      channel: 'book',
    })
    processor.push(depthFrame(164, 164, [], [['0.0027', '1']]), 'spot', 3)
    // A diff yields the whole top again, marked as not coming from a snapshot.
    expect(books().at(-1)).toMatchObject({
      sequence: 164,
      isSnapshot: false,
      bids: [
        [0.0024, 10],
        [0.0023, 5],
      ],
      asks: [[0.0027, 1]],
    })
    // A stale repeat is skipped, not applied.
    processor.push(depthFrame(164, 164, [], [['0.0027', '999']]), 'spot', 4)
    expect(books().at(-1)).toMatchObject({ sequence: 164, asks: [[0.0027, 1]] })
  })

  it('refetches a snapshot older than the first buffered event', async () => {
    const { processor, urls, books } = setup([
      { status: 200, body: snapshotBody(100, [['1', '1']], []) },
      { status: 200, body: snapshotBody(205, [['2', '1']], []) },
    ])
    processor.push(depthFrame(200, 210, [['3', '1']], []), 'spot', 1)
    await until(() => books().length > 0)
    expect(urls).toHaveLength(2)
    expect(books().at(-1)).toMatchObject({
      sequence: 210,
      bids: [
        [3, 1],
        [2, 1],
      ],
    })
  })

  it('resyncs only the symbol with a gap: resyncing, then open', async () => {
    const { processor, books, events } = setup([
      { status: 200, body: snapshotBody(10, [['1', '1']], []) },
      { status: 200, body: snapshotBody(30, [['5', '5']], []) },
    ])
    processor.push(depthFrame(11, 12, [], []), 'spot', 1)
    await until(() => books().length === 1)
    processor.push(depthFrame(20, 25, [['9', '9']], []), 'spot', 2)
    expect(
      events
        .filter((event) => event.kind === 'status')
        .map((event) => event.kind === 'status' && event.state),
    ).toEqual(['open', 'resyncing'])
    // The gap is also reported as an error event, as every venue does.
    expect(events.find((event) => event.kind === 'error')).toMatchObject({
      code: 'SEQUENCE_GAP',
      symbol: 'BNB/BTC',
      hint: expect.stringContaining('resynced'),
    })
    processor.push(depthFrame(26, 31, [['6', '6']], []), 'spot', 3)
    await until(() => books().length === 2)
    // After the new snapshot (30), 20..25 is stale and 26..31 straddles 31.
    expect(books().at(-1)).toMatchObject({
      sequence: 31,
      bids: [
        [6, 6],
        [5, 5],
      ],
    })
    const statuses = events.filter((event) => event.kind === 'status')
    expect(statuses.at(-1)).toMatchObject({ state: 'open', symbol: 'BNB/BTC' })
  })

  it('retries a failing snapshot with backoff and reports the failure as an error event', async () => {
    const { processor, books, events } = setup([
      { status: 400, body: '{"code":-1121,"msg":"Invalid symbol."}' },
      { status: 200, body: snapshotBody(10, [['1', '1']], []) },
    ])
    processor.push(depthFrame(11, 11, [], []), 'spot', 1)
    await until(() => books().length === 1)
    expect(events.find((event) => event.kind === 'error')).toMatchObject({
      code: 'REST_ERROR',
      symbol: 'BNB/BTC',
    })
  })

  it('resyncs every book of a market after reset (reconnect)', async () => {
    const { processor, books, events } = setup([
      { status: 200, body: snapshotBody(10, [['1', '1']], []) },
      { status: 200, body: snapshotBody(50, [['2', '2']], []) },
    ])
    processor.push(depthFrame(11, 11, [], []), 'spot', 1)
    await until(() => books().length === 1)
    processor.reset('spot')
    expect(events.at(-1)).toMatchObject({ kind: 'status', state: 'resyncing', symbol: 'BNB/BTC' })
    processor.push(depthFrame(50, 51, [], []), 'spot', 2)
    await until(() => books().length === 2)
    expect(books().at(-1)).toMatchObject({ sequence: 51, bids: [[2, 2]] })
  })
})

describe('createBinanceFrameProcessor: futures pu chaining', () => {
  it('applies events chained by pu and resyncs when the chain breaks', async () => {
    const { processor, urls, books, events } = setup([
      { status: 200, body: snapshotBody(100, [['1', '1']], []) },
      { status: 200, body: snapshotBody(300, [['3', '3']], []) },
    ])
    processor.push(depthFrame(95, 104, [['2', '2']], [], 90), 'linear', 1)
    await until(() => books().length === 1)
    expect(urls[0]).toBe('http://127.0.0.1:1/fapi/v1/depth?symbol=BNBBTC&limit=1000')
    expect(books()[0]).toMatchObject({ market: 'linear', symbol: 'BNB/BTC:BTC', sequence: 104 })
    processor.push(depthFrame(110, 120, [], [], 104), 'linear', 2)
    expect(books().at(-1)).toMatchObject({ sequence: 120 })
    processor.push(depthFrame(130, 140, [], [], 125), 'linear', 3)
    expect(events.at(-1)).toMatchObject({ kind: 'status', state: 'resyncing' })
  })
})

describe('createBinanceFrameProcessor: other channels', () => {
  it('decodes non-book frames and reports garbage as error events', () => {
    const { processor, events } = setup([])
    processor.push(
      '{"stream":"nknusdt@aggTrade","data":{"e":"aggTrade","E":1,"s":"NKNUSDT","a":1,"p":"0.35","q":"58","f":1,"l":1,"T":1,"m":false,"M":true}}',
      'spot',
      7,
    )
    processor.push('{"broken', 'spot', 8)
    expect(events.map((event) => event.kind)).toEqual(['trade', 'error'])
    expect(events[0]).toMatchObject({ receivedAt: 7, price: 0.35 })
  })
})

describe('futures partial depth', () => {
  it('never feeds @depth<N> frames (which also say depthUpdate) to the diff book sync', async () => {
    const { fetchImpl, urls } = fakeFetch([])
    const events: MarketEvent[] = []
    processor = createBinanceFrameProcessor({ emit: (event) => events.push(event), fetch: fetchImpl })
    const partial = JSON.parse(depthFrame(1, 2, [['1', '1']], [['2', '1']])) as {
      stream: string
      data: Record<string, unknown>
    }
    partial.stream = 'btcusdt@depth5@100ms'
    partial.data.s = 'BTCUSDT'
    processor.push(JSON.stringify(partial), 'linear', 1)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(urls).toEqual([])
    expect(events.filter((event) => event.kind === 'book' || event.kind === 'error')).toEqual([])
    // A diff stream of the same symbol does start the sync (a snapshot is requested).
    partial.stream = 'btcusdt@depth@100ms'
    processor.push(JSON.stringify(partial), 'linear', 2)
    await until(() => urls.length > 0)
    expect(urls[0]).toContain('symbol=BTCUSDT')
  })
})
