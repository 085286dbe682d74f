import type { DecodeContext, MarketEvent } from '@tickmesh/core'
import { marketEventSchema } from '@tickmesh/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readFixture, readFixtureFrame, readFixtureLines } from '../../../../test-support/fixtures'
import { decode, decodeBybit, topicFamily } from './decode-bybit'
import { parseBybitBook } from './decode-bybit-orderbook'
import { createScope } from './decode-scope'

const RECEIVED = 1_786_310_820_000.5
const spot: DecodeContext = { market: 'spot', receivedAt: RECEIVED }
const linear: DecodeContext = { market: 'linear', receivedAt: RECEIVED }

function decodeValid(frame: string, context: DecodeContext): MarketEvent[] {
  const events = decode(frame, context)
  for (const event of events) marketEventSchema.parse(event)
  return events
}

describe('decodeBybit tickers', () => {
  it('decodes the real linear snapshot with bid/ask', () => {
    const events = decodeValid(readFixtureFrame('bybit', 'real_tickers_linear_snapshot_BTCUSDT.json'), linear)
    expect(events).toEqual([
      {
        kind: 'ticker',
        venue: 'bybit',
        market: 'linear',
        symbol: 'BTC/USDT:USDT',
        venueSymbol: 'BTCUSDT',
        exchangeTime: 1786310817583,
        receivedAt: RECEIVED,
        last: 65114.3,
        bid: 65114.2,
        bidSize: 5.954,
        ask: 65114.3,
        askSize: 10.47,
        open24h: 65008.7,
        high24h: 65282.3,
        low24h: 64694.4,
        baseVolume24h: 17573.912,
        quoteVolume24h: 1142118412.9021,
      },
    ])
  })

  it('decodes a linear delta alone with absent fields as null (the processor merges them)', () => {
    const [event] = decodeValid(readFixtureFrame('bybit', 'real_tickers_linear_delta_BTCUSDT.json'), linear)
    expect(event).toMatchObject({
      kind: 'ticker',
      symbol: 'BTC/USDT:USDT',
      exchangeTime: 1786310817883,
      last: null,
      bid: 65114.2,
      bidSize: 6.054,
      ask: 65114.3,
      askSize: 10.486,
      open24h: null,
    })
  })

  it('decodes the real spot snapshot, which has no bid/ask', () => {
    const events = decodeValid(readFixtureFrame('bybit', 'real_tickers_spot_snapshot_BTCUSDT.json'), spot)
    expect(events).toEqual([
      {
        kind: 'ticker',
        venue: 'bybit',
        market: 'spot',
        symbol: 'BTC/USDT',
        venueSymbol: 'BTCUSDT',
        exchangeTime: 1786310819126,
        receivedAt: RECEIVED,
        last: 65140.5,
        bid: null,
        bidSize: null,
        ask: null,
        askSize: null,
        open24h: 65045.3,
        high24h: 65305.6,
        low24h: 64727.9,
        baseVolume24h: 2953.835931,
        quoteVolume24h: 191907024.69597727,
      },
    ])
  })

  it('decodes the documented tickers', () => {
    const [linearEvent] = decodeValid(
      readFixtureFrame('bybit', 'doc_tickers_linear_perp_snapshot.json'),
      linear,
    )
    expect(linearEvent).toMatchObject({
      last: 66666.6,
      bid: 66666.6,
      bidSize: 23789.165,
      ask: 66666.7,
      askSize: 23775.469,
      open24h: 79206.2,
      high24h: 79266.3,
      low24h: 65076.9,
      baseVolume24h: 73191.387,
      quoteVolume24h: 4936790807.6521,
      exchangeTime: 1760325052630,
    })
    const [spotEvent] = decodeValid(readFixtureFrame('bybit', 'doc_tickers_spot_snapshot.json'), spot)
    expect(spotEvent).toMatchObject({ last: 21109.77, low24h: 20575, baseVolume24h: 6780.866843, bid: null })
  })

  it('uses the instruments cache for symbols when given', () => {
    const [event] = decodeValid(readFixtureFrame('bybit', 'real_tickers_spot_snapshot_BTCUSDT.json'), {
      ...spot,
      symbolOf: (venueSymbol) => (venueSymbol === 'BTCUSDT' ? 'XBT/USDT' : undefined),
    })
    expect(event).toMatchObject({ symbol: 'XBT/USDT', venueSymbol: 'BTCUSDT' })
  })
})

describe('decodeBybit trades', () => {
  it('decodes the real linear trade', () => {
    expect(decodeValid(readFixtureFrame('bybit', 'real_publicTrade_linear_BTCUSDT.json'), linear)).toEqual([
      {
        kind: 'trade',
        venue: 'bybit',
        market: 'linear',
        symbol: 'BTC/USDT:USDT',
        venueSymbol: 'BTCUSDT',
        exchangeTime: 1786310819680,
        receivedAt: RECEIVED,
        id: 'a9188a0a-82bc-50de-be60-03eedbe3cdd7',
        price: 65114.2,
        amount: 0.004,
        side: 'sell',
      },
    ])
  })

  it('decodes the real spot trade', () => {
    expect(decodeValid(readFixtureFrame('bybit', 'real_publicTrade_spot.json'), spot)).toEqual([
      {
        kind: 'trade',
        venue: 'bybit',
        market: 'spot',
        symbol: 'ETH/USDT',
        venueSymbol: 'ETHUSDT',
        exchangeTime: 1786310821917,
        receivedAt: RECEIVED,
        id: '2280000001739247417',
        price: 1923.28,
        amount: 0.04537,
        side: 'sell',
      },
    ])
  })

  it('decodes the documented trade (taker Buy)', () => {
    expect(decodeValid(readFixtureFrame('bybit', 'doc_publicTrade_linear.json'), linear)).toEqual([
      expect.objectContaining({
        id: '20f43950-d8dd-5b31-9112-a178eb6023af',
        price: 16578.5,
        amount: 0.001,
        side: 'buy',
        exchangeTime: 1672304486865,
      }),
    ])
  })

  it('decodes every trade of a batch, in order', () => {
    const frame = JSON.stringify({
      topic: 'publicTrade.BTCUSDT',
      type: 'snapshot',
      ts: 2,
      data: [
        { T: 1, s: 'BTCUSDT', S: 'Buy', v: '1', p: '10', i: 'a' },
        { T: 2, s: 'BTCUSDT', S: 'Sell', v: '2', p: '11', i: 'b' },
      ],
    })
    expect(decodeValid(frame, spot).map((event) => (event.kind === 'trade' ? event.id : null))).toEqual([
      'a',
      'b',
    ])
  })
})

describe('decodeBybit klines', () => {
  it('decodes the real linear and spot 1m klines', () => {
    expect(decodeValid(readFixtureFrame('bybit', 'real_kline_1_linear_BTCUSDT.json'), linear)).toEqual([
      {
        kind: 'candle',
        venue: 'bybit',
        market: 'linear',
        symbol: 'BTC/USDT:USDT',
        venueSymbol: 'BTCUSDT',
        exchangeTime: 1786310818440,
        receivedAt: RECEIVED,
        interval: '1m',
        openTime: 1786310760000,
        open: 65119.9,
        high: 65119.9,
        low: 65114.2,
        close: 65114.3,
        volume: 1.576,
        closed: false,
      },
    ])
    expect(decodeValid(readFixtureFrame('bybit', 'real_kline_1_spot_BTCUSDT.json'), spot)).toEqual([
      expect.objectContaining({
        symbol: 'BTC/USDT',
        interval: '1m',
        openTime: 1786310760000,
        open: 65140.4,
        high: 65140.5,
        low: 65140.4,
        close: 65140.5,
        volume: 0.15318,
        closed: false,
        exchangeTime: 1786310816562,
      }),
    ])
  })

  it('decodes the documented 5m kline', () => {
    expect(decodeValid(readFixtureFrame('bybit', 'doc_kline_linear.json'), linear)).toEqual([
      expect.objectContaining({
        interval: '5m',
        openTime: 1672324800000,
        open: 16649.5,
        close: 16677,
        high: 16677,
        low: 16608,
        volume: 2.081,
        closed: false,
      }),
    ])
  })

  it('marks confirmed klines closed and skips monthly ones', () => {
    const candle = (interval: string, confirm: boolean) =>
      JSON.stringify({
        topic: `kline.${interval}.BTCUSDT`,
        type: 'snapshot',
        ts: 5,
        data: [
          {
            start: 0,
            end: 1,
            interval,
            open: '1',
            close: '2',
            high: '3',
            low: '0.5',
            volume: '4',
            turnover: '8',
            confirm,
            timestamp: 5,
          },
        ],
      })
    expect(decodeValid(candle('60', true), spot)).toEqual([
      expect.objectContaining({ interval: '1h', closed: true }),
    ])
    expect(decodeValid(candle('M', true), spot)).toEqual([])
  })
})

describe('order books', () => {
  it('orderbook.1 decodes to bbo', () => {
    const frame = JSON.stringify({
      topic: 'orderbook.1.BTCUSDT',
      ts: 1786310819000,
      type: 'snapshot',
      data: { s: 'BTCUSDT', b: [['65140.4', '1.25']], a: [['65140.5', '0.5']], u: 9, seq: 77 },
      cts: 1786310818999,
    })
    expect(decodeValid(frame, spot)).toEqual([
      {
        kind: 'bbo',
        venue: 'bybit',
        market: 'spot',
        symbol: 'BTC/USDT',
        venueSymbol: 'BTCUSDT',
        exchangeTime: 1786310819000,
        receivedAt: RECEIVED,
        bidPrice: 65140.4,
        bidSize: 1.25,
        askPrice: 65140.5,
        askSize: 0.5,
      },
    ])
  })

  it('depth frames give no book events from the stateless decoder', () => {
    expect(decodeValid(readFixtureFrame('bybit', 'doc_orderbook_50_delta_linear.json'), linear)).toEqual([])
  })

  it('parseBybitBook keeps the documented delta exactly (strings, u, seq)', () => {
    const frame = readFixtureFrame('bybit', 'doc_orderbook_50_delta_linear.json')
    const out: MarketEvent[] = []
    const book = parseBybitBook('orderbook.50.BTCUSDT', JSON.parse(frame), createScope(frame, linear, out))
    expect(out).toEqual([])
    expect(book).toEqual({
      depth: 50,
      venueSymbol: 'BTCUSDT',
      symbol: 'BTC/USDT:USDT',
      isSnapshot: false,
      bids: [
        ['30247.20', '30.028'],
        ['30245.40', '0.224'],
        ['30242.10', '1.593'],
        ['30240.30', '1.305'],
        ['30240.00', '0'],
      ],
      asks: [
        ['30248.70', '0'],
        ['30249.30', '0.892'],
        ['30249.50', '1.778'],
        ['30249.60', '0'],
        ['30251.90', '2.947'],
        ['30252.20', '0.659'],
        ['30252.50', '4.591'],
      ],
      updateId: 177400507,
      crossSequence: 66544703342,
      exchangeTime: 1687940967466,
    })
  })

  it('the documented snapshot with elided levels is not JSON: an error event, not a throw', () => {
    const events = decodeValid(readFixture('bybit', 'doc_orderbook_50_snapshot_linear.txt'), linear)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ kind: 'error', code: 'DECODE_ERROR', market: 'linear' })
  })
})

describe('replies', () => {
  it.each([
    'doc_auth_response.json',
    'doc_pong_option_spread.json',
    'doc_pong_private.json',
    'doc_pong_public_linear.json',
    'doc_pong_public_spot.json',
    'doc_subscribe_response_option.json',
    'doc_subscribe_response_private.json',
    'doc_subscribe_response_public_linear.json',
    'doc_subscribe_response_public_spot.json',
    'real_subscribe_ack_linear.json',
    'real_subscribe_ack_spot.json',
    'doc_subscribe_request.json',
    'doc_unsubscribe_request.json',
    'doc_ping_request.json',
    'doc_auth_request.json',
  ])('%s gives no events', (file) => {
    expect(decodeValid(readFixtureFrame('bybit', file), spot)).toEqual([])
  })

  it('client requests in the real capture give no events', () => {
    for (const line of readFixtureLines('bybit', 'real_subscribe_requests_linear_and_spot.jsonl')) {
      expect(decodeValid(line, linear)).toEqual([])
    }
  })

  it('a refused subscription becomes a SUBSCRIPTION_ERROR event with the venue words and the frame', () => {
    const frame = readFixtureFrame('bybit', 'issue_error_subscribe_handler_not_found.json')
    const events = decodeValid(frame, linear)
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'error',
        code: 'SUBSCRIPTION_ERROR',
        message: 'Bybit refused "subscribe": error:handler not found,topic:dcp.future',
        raw: frame,
      }),
    ])
  })
})

describe('private topics', () => {
  const order = {
    id: '5923240c6880ab-c59f-420b-9adb-3639adc9dd90',
    topic: 'order',
    creationTime: 1672364262474,
    data: [
      {
        category: 'linear',
        symbol: 'BTCUSDT',
        orderId: '1321003749386327552',
        orderLinkId: 'my-1',
        side: 'Buy',
        orderType: 'Limit',
        price: '30000.5',
        qty: '0.010',
        orderStatus: 'PartiallyFilled',
        cumExecQty: '0.004',
        avgPrice: '30000.5',
        createdTime: '1672364262444',
        updatedTime: '1672364262457',
      },
      {
        category: 'spot',
        symbol: 'ETHUSDT',
        orderId: '99',
        orderLinkId: '',
        side: 'Sell',
        orderType: 'Market',
        price: '0',
        qty: '1',
        orderStatus: 'Cancelled',
        cumExecQty: '0',
        avgPrice: '',
        updatedTime: '1672364262500',
      },
      { category: 'option', symbol: 'BTC-30DEC22-18000-C', orderId: 'x', orderStatus: 'New' },
    ],
  }

  it('decodes orders of each category (options skipped)', () => {
    expect(decodeValid(JSON.stringify(order), spot)).toEqual([
      {
        kind: 'order',
        venue: 'bybit',
        market: 'linear',
        symbol: 'BTC/USDT:USDT',
        venueSymbol: 'BTCUSDT',
        exchangeTime: 1672364262457,
        receivedAt: RECEIVED,
        orderId: '1321003749386327552',
        clientOrderId: 'my-1',
        side: 'buy',
        type: 'limit',
        status: 'partially_filled',
        price: 30000.5,
        amount: 0.01,
        filled: 0.004,
        averagePrice: 30000.5,
      },
      expect.objectContaining({
        market: 'spot',
        symbol: 'ETH/USDT',
        clientOrderId: null,
        side: 'sell',
        type: 'market',
        status: 'canceled',
        price: null,
        averagePrice: null,
        filled: 0,
      }),
    ])
  })

  it('decodes wallet coins as balances (free = wallet balance - locked)', () => {
    const wallet = {
      id: '592324d2bce751-ad38-48eb-8f42-4671d1fb4d4e',
      topic: 'wallet',
      creationTime: 1700034722104,
      data: [
        {
          accountType: 'UNIFIED',
          totalEquity: '10262.91',
          coin: [
            { coin: 'BTC', walletBalance: '0.5', locked: '0.1', equity: '0.5' },
            { coin: 'USDT', walletBalance: '1000', locked: '', equity: '1000' },
          ],
        },
      ],
    }
    expect(decodeValid(JSON.stringify(wallet), spot)).toEqual([
      {
        kind: 'balance',
        venue: 'bybit',
        market: 'spot',
        asset: 'BTC',
        free: 0.4,
        locked: 0.1,
        exchangeTime: 1700034722104,
        receivedAt: RECEIVED,
      },
      expect.objectContaining({ asset: 'USDT', free: 1000, locked: 0 }),
    ])
  })
})

describe('totality', () => {
  it.each([
    ['garbage', 'not json at all'],
    ['truncated', readFixtureFrame('bybit', 'real_publicTrade_spot.json').slice(0, 60)],
    ['array', '[1,2,3]'],
    ['number', '42'],
    ['null', 'null'],
    ['no topic or op', '{"hello":"world"}'],
    ['tickers data wrong type', '{"topic":"tickers.BTCUSDT","type":"snapshot","data":[1]}'],
    [
      'trade price wrong type',
      '{"topic":"publicTrade.BTCUSDT","data":[{"s":"BTCUSDT","S":"Buy","v":"1","p":{},"i":"a"}]}',
    ],
    [
      'trade side unknown',
      '{"topic":"publicTrade.BTCUSDT","data":[{"s":"BTCUSDT","S":"Up","v":"1","p":"1","i":"a"}]}',
    ],
    [
      'book levels wrong type',
      '{"topic":"orderbook.1.BTCUSDT","type":"snapshot","data":{"s":"BTCUSDT","b":[[1,2]],"a":[],"u":1}}',
    ],
    [
      'book missing u',
      '{"topic":"orderbook.1.BTCUSDT","type":"snapshot","data":{"s":"BTCUSDT","b":[],"a":[]}}',
    ],
    ['kline data not array', '{"topic":"kline.1.BTCUSDT","data":{}}'],
    [
      'symbol unknown quote',
      '{"topic":"tickers.FOOBAR","type":"snapshot","data":{"symbol":"FOOBAR","lastPrice":"1"}}',
    ],
  ])('%s gives an error event with the frame truncated, never a throw', (_name, frame) => {
    const events = decodeValid(frame, spot)
    expect(events.length).toBeGreaterThan(0)
    for (const event of events) {
      expect(event).toMatchObject({ kind: 'error', code: 'DECODE_ERROR', venue: 'bybit' })
      if (event.kind === 'error') expect(event.raw?.startsWith(frame.slice(0, 20))).toBe(true)
    }
  })

  it('unknown topics are skipped', () => {
    expect(decodeValid('{"topic":"allLiquidation.BTCUSDT","data":[]}', linear)).toEqual([])
  })

  it('truncates the raw frame to 512 characters', () => {
    const frame = `{"x":"${'y'.repeat(2000)}"`
    const [event] = decodeValid(frame, spot)
    expect(event?.kind === 'error' && event.raw !== null && event.raw.length < 600).toBe(true)
  })

  it('never throws and emits only schema-valid events on arbitrary input', () => {
    const topics = [
      'tickers.BTCUSDT',
      'publicTrade.BTCUSDT',
      'kline.1.BTCUSDT',
      'orderbook.1.BTCUSDT',
      'order',
      'wallet',
    ]
    fc.assert(
      fc.property(fc.constantFrom(...topics), fc.jsonValue(), fc.string(), (topic, data, text) => {
        decodeValid(JSON.stringify({ topic, type: 'snapshot', ts: 1, data }), linear)
        decodeValid(text, linear)
      }),
      { numRuns: 500 },
    )
  })

  it('exports decode under both names', () => {
    expect(decode).toBe(decodeBybit)
  })
})

describe('topicFamily', () => {
  it('is the text before the first dot, for known and unknown families', () => {
    expect(topicFamily('orderbook.50.BTCUSDT')).toBe('orderbook')
    expect(topicFamily('order')).toBe('order')
    expect(topicFamily('order.spot')).toBe('order')
    expect(topicFamily('orderbookX.1.BTCUSDT')).toBe('orderbookX')
    expect(topicFamily('execution.spot')).toBe('execution')
    expect(topicFamily('tickers')).toBe('tickers')
    expect(topicFamily('')).toBe('')
  })
})

describe('orderbook level validation', () => {
  it('accepts plain decimals only (digits with one inner dot)', () => {
    const pattern = /^\d+(\.\d+)?$/
    for (const text of ['65140.5', '0.001', '7', '.5', '1.', '1..2', '-1', '1e5', ' 1', '', '1.2.3']) {
      const out: MarketEvent[] = []
      const message = {
        topic: 'orderbook.50.BTCUSDT',
        type: 'delta',
        ts: 1,
        data: { s: 'BTCUSDT', b: [[text, '1']], a: [], u: 2 },
      }
      const book = parseBybitBook('orderbook.50.BTCUSDT', message, createScope('{}', spot, out))
      expect(book !== null, text).toBe(pattern.test(text))
    }
  })
})

describe('orderbook topic depth', () => {
  it('reads the depth between the first two dots and rejects anything else', () => {
    const data = { s: 'BTCUSDT', b: [['1', '1']], a: [], u: 2 }
    const depthOf = (topic: string) =>
      parseBybitBook(topic, { topic, type: 'snapshot', ts: 1, data }, createScope('{}', spot, []))?.depth ??
      null
    expect(depthOf('orderbook.50.BTCUSDT')).toBe(50)
    expect(depthOf('orderbook.1.BTCUSDT')).toBe(1)
    expect(depthOf('orderbook.1000.BTCUSDT')).toBe(1000)
    for (const bad of [
      'orderbook.0.BTCUSDT',
      'orderbook..BTCUSDT',
      'orderbook.5x.BTCUSDT',
      'orderbook.-1.BTCUSDT',
    ]) {
      expect(depthOf(bad), bad).toBeNull()
    }
  })
})
