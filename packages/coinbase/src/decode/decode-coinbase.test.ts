import type { DecodeContext, MarketEvent } from '@tickmesh/core'
import { marketEventSchema } from '@tickmesh/core'
import { describe, expect, it } from 'vitest'
import { readFixtureFrame, readFixtureLines } from '../../../../test-support/fixtures'
import { CoinbaseOrderTracker } from './coinbase-order-tracker'
import { decode, decodeCoinbase, decodeCoinbaseMessage } from './decode-coinbase'
import { parseCoinbaseL2Update, parseCoinbaseSnapshot } from './parse-coinbase-book'
import { parseCoinbaseControl } from './parse-coinbase-control'
import { parseCoinbaseTime } from './parse-coinbase-time'

const context: DecodeContext = { market: 'spot', receivedAt: 1_700_000_000_123.5 }
const frame = (file: string) => readFixtureFrame('coinbase', file)
const iso = (text: string, micros: number) => Date.parse(text) + micros / 1000

function decodeValid(text: string, ctx: DecodeContext = context): MarketEvent[] {
  const events = decodeCoinbase(text, ctx)
  for (const event of events) marketEventSchema.parse(event)
  return events
}

describe('decodeCoinbase fixtures', () => {
  it('exports decode as an alias', () => {
    expect(decode).toBe(decodeCoinbase)
  })

  it('decodes doc_ticker.json into a ticker and a bbo', () => {
    const time = iso('2022-10-19T23:28:22.061Z', 769)
    expect(decodeValid(frame('doc_ticker.json'))).toEqual([
      {
        kind: 'ticker',
        venue: 'coinbase',
        market: 'spot',
        symbol: 'ETH/USD',
        venueSymbol: 'ETH-USD',
        exchangeTime: time,
        receivedAt: context.receivedAt,
        last: 1285.22,
        bid: 1285.04,
        bidSize: 0.46688654,
        ask: 1285.27,
        askSize: 1.5663704,
        open24h: 1310.79,
        high24h: 1313.8,
        low24h: 1280.52,
        baseVolume24h: 245532.79269678,
        quoteVolume24h: null,
      },
      {
        kind: 'bbo',
        venue: 'coinbase',
        market: 'spot',
        symbol: 'ETH/USD',
        venueSymbol: 'ETH-USD',
        exchangeTime: time,
        receivedAt: context.receivedAt,
        bidPrice: 1285.04,
        bidSize: 0.46688654,
        askPrice: 1285.27,
        askSize: 1.5663704,
      },
    ])
  })

  it('decodes the 2021 real ticker without *_size fields (sizes null)', () => {
    const [ticker, bbo] = decodeValid(frame('real_ticker_BAND-GBP.json'))
    expect(ticker).toMatchObject({
      kind: 'ticker',
      symbol: 'BAND/GBP',
      venueSymbol: 'BAND-GBP',
      last: 14.7775,
      bid: 14.755,
      bidSize: null,
      ask: 14.806,
      askSize: null,
      open24h: 14.6647,
      high24h: 16.55,
      low24h: 14.3691,
      baseVolume24h: 94381.28,
      exchangeTime: iso('2021-04-17T16:43:30.244Z', 75),
    })
    expect(bbo).toMatchObject({
      kind: 'bbo',
      bidPrice: 14.755,
      bidSize: null,
      askPrice: 14.806,
      askSize: null,
    })
  })

  it('decodes doc_match.json with the taker side opposite to the maker side', () => {
    expect(decodeValid(frame('doc_match.json'))).toEqual([
      {
        kind: 'trade',
        venue: 'coinbase',
        market: 'spot',
        symbol: 'BTC/USD',
        venueSymbol: 'BTC-USD',
        exchangeTime: iso('2014-11-07T08:19:27.028Z', 459),
        receivedAt: context.receivedAt,
        id: '10',
        price: 400.23,
        amount: 5.23512,
        side: 'buy',
      },
    ])
  })

  it('decodes real_last_match.json and real_match.json', () => {
    expect(decodeValid(frame('real_last_match.json'))).toEqual([
      expect.objectContaining({
        kind: 'trade',
        symbol: 'BAND/GBP',
        id: '881613',
        price: 14.7775,
        amount: 0.04,
        side: 'buy',
        exchangeTime: iso('2021-04-17T16:43:30.244Z', 75),
      }),
    ])
    expect(decodeValid(frame('real_match.json'))).toEqual([
      expect.objectContaining({
        kind: 'trade',
        symbol: 'SKL/BTC',
        venueSymbol: 'SKL-BTC',
        id: '280232',
        price: 0.00001305,
        amount: 985,
        side: 'buy',
      }),
    ])
  })

  it('decodes doc_level2_snapshot.json into a full book snapshot', () => {
    expect(decodeValid(frame('doc_level2_snapshot.json'))).toEqual([
      {
        kind: 'book',
        venue: 'coinbase',
        market: 'spot',
        symbol: 'BTC/USD',
        venueSymbol: 'BTC-USD',
        exchangeTime: null,
        receivedAt: context.receivedAt,
        bids: [[10101.1, 0.4505414]],
        asks: [[10102.55, 0.57753524]],
        sequence: null,
        isSnapshot: true,
      },
    ])
  })

  it('gives no events for l2update, heartbeat and subscriptions (the book and pool handle them)', () => {
    for (const file of [
      'doc_l2update_single.json',
      'doc_l2update_multiple.json',
      'doc_heartbeat.json',
      'doc_subscriptions_response.json',
    ]) {
      expect(decodeValid(frame(file)), file).toEqual([])
    }
    for (const line of readFixtureLines('coinbase', 'real_subscriptions_responses.jsonl')) {
      expect(decodeValid(line)).toEqual([])
    }
  })

  it('skips Coinbase Advanced Trade frames (a different feed) without errors', () => {
    for (const file of [
      'real_candles_update.json',
      'real_heartbeats.json',
      'real_l2_data_update.json',
      'real_market_trades_update.json',
      'real_subscriptions.json',
      'real_ticker_snapshot.json',
      'real_ticker_update.json',
    ]) {
      expect(decodeValid(readFixtureFrame('coinbase', `advanced_trade/${file}`)), file).toEqual([])
    }
  })

  it('turns venue error frames into error events with the reason', () => {
    const [auth] = decodeValid(frame('issue_error_level2_requires_auth.json'))
    expect(auth).toMatchObject({
      kind: 'error',
      code: 'SUBSCRIPTION_ERROR',
      message:
        'Coinbase replied with an error: Failed to subscribe: level2, level3, and full channels now require authentication. https://docs.cloud.coinbase.com/exchange/docs/websocket-auth',
    })
    const [none] = decodeValid(frame('issue_error_no_channels.json'))
    expect(none).toMatchObject({
      kind: 'error',
      code: 'SUBSCRIPTION_ERROR',
      message: 'Coinbase replied with an error: Failed to subscribe: No channels provided',
    })
    const [generic] = decodeValid(frame('doc_error_generic.json'))
    expect(generic).toMatchObject({
      kind: 'error',
      code: 'TICKMESH_ERROR',
      message: 'Coinbase replied with an error: error message',
    })
  })

  it('uses symbolOf from the instruments cache when given', () => {
    const [trade] = decodeValid(frame('doc_match.json'), { ...context, symbolOf: () => 'XBT/USD' })
    expect(trade).toMatchObject({ symbol: 'XBT/USD', venueSymbol: 'BTC-USD' })
  })
})

describe('decodeCoinbase is total', () => {
  const bad: [string, string][] = [
    ['garbage', 'not json at all'],
    ['truncated JSON', frame('doc_ticker.json').slice(0, 60)],
    ['a JSON array', '[1,2,3]'],
    ['a JSON number', '42'],
    ['null', 'null'],
    ['no type', '{"product_id":"BTC-USD"}'],
    ['ticker with a non-numeric price', '{"type":"ticker","product_id":"BTC-USD","price":"abc"}'],
    ['ticker without product', '{"type":"ticker","price":"1"}'],
    [
      'match with a numeric-object price',
      '{"type":"match","product_id":"BTC-USD","trade_id":1,"price":{},"size":"1","side":"buy"}',
    ],
    [
      'match with a bad side',
      '{"type":"match","product_id":"BTC-USD","trade_id":1,"price":"1","size":"1","side":"up"}',
    ],
    ['snapshot with bad levels', '{"type":"snapshot","product_id":"BTC-USD","bids":[["x","1"]],"asks":[]}'],
    ['snapshot with bids not an array', '{"type":"snapshot","product_id":"BTC-USD","bids":{},"asks":[]}'],
    ['product without a dash', '{"type":"ticker","product_id":"BTCUSD","price":"1"}'],
  ]
  for (const [name, text] of bad) {
    it(`${name} → one DECODE_ERROR event`, () => {
      const events = decodeValid(text)
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({ kind: 'error', code: 'DECODE_ERROR', venue: 'coinbase' })
    })
  }

  it('truncates the raw frame to 512 characters', () => {
    const long = `{"type":"ticker","product_id":"BTC-USD","price":"x","pad":"${'a'.repeat(2000)}"}`
    const [event] = decodeValid(long)
    expect(event?.kind === 'error' && event.raw?.startsWith(long.slice(0, 512))).toBe(true)
    expect(event?.kind === 'error' && event.raw!.length < 600).toBe(true)
  })

  it('skips unknown message types and the status channel', () => {
    expect(decodeValid('{"type":"something_new","x":1}')).toEqual([])
    expect(decodeValid('{"type":"status","products":[]}')).toEqual([])
  })

  it('never throws on random mutations of every fixture', () => {
    const files = ['doc_ticker.json', 'doc_match.json', 'doc_level2_snapshot.json', 'doc_heartbeat.json']
    let seed = 7
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed / 0x7fffffff
    }
    for (const file of files) {
      const text = frame(file)
      for (let i = 0; i < 300; i++) {
        const position = Math.floor(random() * text.length)
        const mutated =
          text.slice(0, position) +
          String.fromCharCode(32 + Math.floor(random() * 90)) +
          text.slice(position + 1)
        expect(() => decodeValid(mutated)).not.toThrow()
      }
    }
  })
})

describe('book parsing for the sync', () => {
  it('keeps snapshot levels as the venue strings', () => {
    const parsed = parseCoinbaseSnapshot(JSON.parse(frame('doc_level2_snapshot.json')))
    expect(parsed).toEqual({
      success: true,
      value: {
        type: 'snapshot',
        productId: 'BTC-USD',
        bids: [['10101.10', '0.45054140']],
        asks: [['10102.55', '0.57753524']],
        time: null,
      },
    })
  })

  it('splits l2update changes into bids and asks, zero sizes kept for removal', () => {
    expect(parseCoinbaseL2Update(JSON.parse(frame('doc_l2update_multiple.json')))).toEqual({
      success: true,
      value: {
        type: 'l2update',
        productId: 'BTC-USD',
        bids: [
          ['22356.270000', '0.00000000'],
          ['22356.300000', '1.00000000'],
        ],
        asks: [],
        time: iso('2022-08-04T15:25:05.010Z', 758),
      },
    })
    expect(parseCoinbaseL2Update(JSON.parse(frame('doc_l2update_single.json')))).toEqual({
      success: true,
      value: {
        type: 'l2update',
        productId: 'BTC-USD',
        bids: [['10101.80000000', '0.162567']],
        asks: [],
        time: Date.parse('2019-08-14T20:42:27.265Z'),
      },
    })
  })

  it('rejects malformed changes without throwing', () => {
    expect(parseCoinbaseL2Update({ product_id: 'BTC-USD', changes: [['hold', '1', '1']] }).success).toBe(
      false,
    )
    expect(parseCoinbaseL2Update({ product_id: 'BTC-USD', changes: [['buy', 1, '1']] }).success).toBe(false)
    expect(parseCoinbaseL2Update({ product_id: 'BTC-USD', changes: 'x' }).success).toBe(false)
    expect(parseCoinbaseL2Update({ changes: [] }).success).toBe(false)
  })
})

describe('control frames', () => {
  it('recognizes the cumulative subscriptions reply as an ack with channel:product topics', () => {
    expect(parseCoinbaseControl(frame('doc_subscriptions_response.json'))).toEqual({
      requestId: null,
      ok: true,
      topics: [
        'level2:ETH-USD',
        'level2:ETH-EUR',
        'heartbeat:ETH-USD',
        'heartbeat:ETH-EUR',
        'ticker:ETH-USD',
        'ticker:ETH-EUR',
        'ticker:ETH-BTC',
      ],
    })
  })

  it('recognizes errors with the reason as the venue message', () => {
    expect(parseCoinbaseControl(frame('issue_error_no_channels.json'))).toEqual({
      requestId: null,
      ok: false,
      message: 'Failed to subscribe: No channels provided',
    })
  })

  it('ignores market data', () => {
    expect(parseCoinbaseControl(frame('doc_ticker.json'))).toBeNull()
    expect(parseCoinbaseControl(frame('doc_heartbeat.json'))).toBeNull()
    expect(parseCoinbaseControl('{"type":"error"')).toBeNull()
  })
})

describe('parseCoinbaseTime', () => {
  it('keeps microseconds as a fraction of a millisecond', () => {
    expect(parseCoinbaseTime('2014-11-07T08:19:28.464459Z')).toBeCloseTo(
      Date.parse('2014-11-07T08:19:28.464Z') + 0.459,
      6,
    )
    expect(parseCoinbaseTime('2014-11-07T08:19:28Z')).toBe(Date.parse('2014-11-07T08:19:28Z'))
    expect(parseCoinbaseTime('yesterday')).toBeNull()
    expect(parseCoinbaseTime(12)).toBeNull()
  })

  it('gives the same result whether or not the previous time fell in the same second', () => {
    // The reference: the regex and Date.parse on every call.
    const reference = (text: string): number | null => {
      const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(text)
      if (!match) return null
      const seconds = Date.parse(`${match[1]}Z`)
      if (!Number.isFinite(seconds)) return null
      const fraction = match[2]
      return fraction === undefined
        ? seconds
        : seconds + Number.parseInt(fraction, 10) / 10 ** (fraction.length - 3)
    }
    const second = '2021-04-17T16:43:37'
    const suffixes = ['.089723Z', 'Z', '.1Z', '.12Z', '.123Z', '.123456789Z', '.1234567890Z', '.Z', '.08a7Z']
    const more = ['.089723', '.089723z', 'Z ', '.-1Z', ':00Z', '']
    for (const suffix of [...suffixes, ...more]) {
      parseCoinbaseTime(`${second}.5Z`) // primes the same-second path
      const text = `${second}${suffix}`
      expect(parseCoinbaseTime(text), text).toBe(reference(text))
    }
    for (const text of ['2021-13-17T16:43:37.5Z', '2021-04-17T16:43:38.000001Z', '2021-04-17T16:43:37.5Z']) {
      expect(parseCoinbaseTime(text), text).toBe(reference(text))
    }
  })
})

describe('user channel', () => {
  const base = {
    product_id: 'BTC-USD',
    time: '2024-01-01T00:00:00.000000Z',
    sequence: 1,
    user_id: 'u1',
    profile_id: 'p1',
  }
  const run = (tracker: CoinbaseOrderTracker, message: Record<string, unknown>) =>
    decodeCoinbaseMessage(message, JSON.stringify(message), context, tracker).map((event) =>
      marketEventSchema.parse(event),
    )

  it('fills at one price average to exactly that price (no float residue)', () => {
    const tracker = new CoinbaseOrderTracker()
    run(tracker, {
      ...base,
      type: 'open',
      order_id: 'o9',
      price: '59854.84',
      remaining_size: '0.17',
      side: 'buy',
    })
    let last: unknown[] = []
    for (const [tradeId, size] of [
      [1, '0.1'],
      [2, '0.07'],
    ] as const) {
      last = run(tracker, {
        ...base,
        type: 'match',
        trade_id: tradeId,
        maker_order_id: 'o9',
        taker_order_id: 'x',
        maker_user_id: 'u1',
        size,
        price: '59854.84',
        side: 'buy',
      })
    }
    expect(last).toEqual([expect.objectContaining({ averagePrice: 59854.84 })])
  })

  it('follows an order from received through a partial fill to done with cumulative fills', () => {
    const tracker = new CoinbaseOrderTracker()
    const received = run(tracker, {
      ...base,
      type: 'received',
      order_id: 'o1',
      order_type: 'limit',
      size: '2.0',
      price: '100.00',
      side: 'buy',
      client_oid: 'c1',
    })
    expect(received).toEqual([
      expect.objectContaining({
        kind: 'order',
        symbol: 'BTC/USD',
        orderId: 'o1',
        clientOrderId: 'c1',
        side: 'buy',
        type: 'limit',
        status: 'new',
        price: 100,
        amount: 2,
        filled: 0,
        averagePrice: null,
      }),
    ])
    run(tracker, {
      ...base,
      type: 'open',
      order_id: 'o1',
      price: '100.00',
      remaining_size: '2.0',
      side: 'buy',
    })
    // We are the maker: side is our side; the maker fields name us.
    const match = run(tracker, {
      ...base,
      type: 'match',
      trade_id: 5,
      maker_order_id: 'o1',
      taker_order_id: 'x',
      maker_user_id: 'u1',
      size: '0.5',
      price: '100.00',
      side: 'buy',
    })
    expect(match).toEqual([
      expect.objectContaining({ status: 'partially_filled', filled: 0.5, averagePrice: 100 }),
    ])
    const done = run(tracker, {
      ...base,
      type: 'done',
      order_id: 'o1',
      price: '100.00',
      remaining_size: '1.5',
      reason: 'canceled',
      side: 'buy',
    })
    expect(done).toEqual([expect.objectContaining({ status: 'canceled', filled: 0.5, amount: 2 })])
    expect(tracker.size).toBe(0)
  })

  it('names our taker order and flips the maker side', () => {
    const tracker = new CoinbaseOrderTracker()
    const [event] = run(tracker, {
      ...base,
      type: 'match',
      trade_id: 6,
      maker_order_id: 'm',
      taker_order_id: 'o2',
      taker_user_id: 'u1',
      size: '1',
      price: '50',
      side: 'sell',
    })
    expect(event).toMatchObject({ kind: 'order', orderId: 'o2', side: 'buy', filled: 1, averagePrice: 50 })
  })

  it('decodes balance messages', () => {
    const message = {
      type: 'balance',
      account_id: 'a1',
      currency: 'USD',
      holds: '10.5',
      available: '989.5',
      updated: '2024-01-01T00:00:00.000000Z',
      timestamp: '2024-01-01T00:00:00.100000Z',
    }
    expect(decodeValid(JSON.stringify(message))).toEqual([
      {
        kind: 'balance',
        venue: 'coinbase',
        market: 'spot',
        asset: 'USD',
        free: 989.5,
        locked: 10.5,
        exchangeTime: Date.parse('2024-01-01T00:00:00Z'),
        receivedAt: context.receivedAt,
      },
    ])
  })

  it('bounds the tracker', () => {
    const tracker = new CoinbaseOrderTracker(3)
    for (let i = 0; i < 10; i++) {
      run(tracker, {
        ...base,
        type: 'received',
        order_id: `o${i}`,
        order_type: 'limit',
        size: '1',
        price: '1',
        side: 'sell',
      })
    }
    expect(tracker.size).toBe(3)
    expect(tracker.get('o9')).toBeDefined()
    expect(tracker.get('o0')).toBeUndefined()
  })
})
