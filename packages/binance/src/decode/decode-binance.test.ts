import type { DecodeContext, MarketEvent } from '@tickmesh/core'
import { marketEventSchema } from '@tickmesh/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readFixture, readFixtureFrame } from '../../../../test-support/fixtures'
import { isBinanceServerShutdown, parseBinanceControl, parseBinanceWsApiResponse } from './binance-control'
import { decode, decodeBinance } from './decode-binance'
import { parseBinanceDepthSnapshot, parseBinanceDepthUpdate, parseRawLevels } from './parse-binance-depth'

const spot: DecodeContext = { market: 'spot', receivedAt: 1_000.5 }
const linear: DecodeContext = { market: 'linear', receivedAt: 2_000 }

function decodeFixture(file: string, context: DecodeContext = spot): MarketEvent[] {
  const events = decodeBinance(readFixtureFrame('binance', file), context)
  for (const event of events) marketEventSchema.parse(event)
  return events
}

const base = { venue: 'binance', market: 'spot', receivedAt: 1_000.5 } as const

describe('decodeBinance: fixtures', () => {
  it('decodes the documented 24hr ticker', () => {
    expect(decodeFixture('doc_ticker_24hr.json')).toEqual([
      {
        kind: 'ticker',
        ...base,
        symbol: 'BNB/BTC',
        venueSymbol: 'BNBBTC',
        exchangeTime: 1672515782136,
        last: 0.0025,
        bid: 0.0024,
        bidSize: 10,
        ask: 0.0026,
        askSize: 100,
        open24h: 0.001,
        high24h: 0.0025,
        low24h: 0.001,
        baseVolume24h: 10000,
        quoteVolume24h: 18,
      },
    ])
  })

  it('decodes the real combined ticker', () => {
    expect(decodeFixture('real_ticker_24hr_combined.json')).toEqual([
      {
        kind: 'ticker',
        ...base,
        symbol: 'ETH/USDT',
        venueSymbol: 'ETHUSDT',
        exchangeTime: 1653812650349,
        last: 1792.84,
        bid: 1792.83,
        bidSize: 1.6274,
        ask: 1792.84,
        askSize: 20.2914,
        open24h: 1764.61,
        high24h: 1808.98,
        low24h: 1748.94,
        baseVolume24h: 471703.5311,
        quoteVolume24h: 840180761.513581,
      },
    ])
  })

  it('decodes the mini ticker with unknown bid/ask as null', () => {
    expect(decodeFixture('doc_miniTicker.json')).toEqual([
      {
        kind: 'ticker',
        ...base,
        symbol: 'BNB/BTC',
        venueSymbol: 'BNBBTC',
        exchangeTime: 1672515782136,
        last: 0.0025,
        bid: null,
        bidSize: null,
        ask: null,
        askSize: null,
        open24h: 0.001,
        high24h: 0.0025,
        low24h: 0.001,
        baseVolume24h: 10000,
        quoteVolume24h: 18,
      },
    ])
  })

  it('decodes aggTrade and trade with the taker side from m', () => {
    expect(decodeFixture('doc_aggTrade.json')).toEqual([
      {
        kind: 'trade',
        ...base,
        symbol: 'BNB/BTC',
        venueSymbol: 'BNBBTC',
        exchangeTime: 1672515782136,
        id: '12345',
        price: 0.001,
        amount: 100,
        side: 'sell',
      },
    ])
    expect(decodeFixture('doc_trade.json')).toEqual([
      {
        kind: 'trade',
        ...base,
        symbol: 'BNB/BTC',
        venueSymbol: 'BNBBTC',
        exchangeTime: 1672515782136,
        id: '12345',
        price: 0.001,
        amount: 100,
        side: 'sell',
      },
    ])
    expect(decodeFixture('real_aggTrade_combined.json')).toEqual([
      {
        kind: 'trade',
        ...base,
        symbol: 'NKN/USDT',
        venueSymbol: 'NKNUSDT',
        exchangeTime: 1633998523963,
        id: '15683430',
        price: 0.3528,
        amount: 58,
        side: 'buy',
      },
    ])
  })

  it('decodes bookTicker (spot: no timestamp)', () => {
    expect(decodeFixture('doc_bookTicker.json')).toEqual([
      {
        kind: 'bbo',
        ...base,
        symbol: 'BNB/USDT',
        venueSymbol: 'BNBUSDT',
        exchangeTime: null,
        bidPrice: 25.3519,
        bidSize: 31.21,
        askPrice: 25.3652,
        askSize: 40.66,
      },
    ])
    expect(decodeFixture('real_bookTicker_combined.json')).toEqual([
      {
        kind: 'bbo',
        ...base,
        symbol: 'NKN/USDT',
        venueSymbol: 'NKNUSDT',
        exchangeTime: null,
        bidPrice: 0.3521,
        bidSize: 672,
        askPrice: 0.3526,
        askSize: 3199,
      },
    ])
  })

  it('decodes klines', () => {
    expect(decodeFixture('doc_kline.json')).toEqual([
      {
        kind: 'candle',
        ...base,
        symbol: 'BNB/BTC',
        venueSymbol: 'BNBBTC',
        exchangeTime: 1672515782136,
        interval: '1m',
        openTime: 1672515780000,
        open: 0.001,
        high: 0.0025,
        low: 0.0015,
        close: 0.002,
        volume: 1000,
        closed: false,
      },
    ])
    expect(decodeFixture('real_kline_1m_BTCUSDT_combined.json')).toEqual([
      {
        kind: 'candle',
        ...base,
        symbol: 'BTC/USDT',
        venueSymbol: 'BTCUSDT',
        exchangeTime: 1653818762502,
        interval: '1m',
        openTime: 1653818760000,
        open: 29038.46,
        high: 29038.47,
        low: 29038.46,
        close: 29038.47,
        volume: 0.20926,
        closed: false,
      },
    ])
    const [nkn] = decodeFixture('real_kline_1m_combined.json')
    expect(nkn).toMatchObject({
      symbol: 'NKN/USDT',
      open: 0.3527,
      close: 0.3528,
      volume: 25877,
      closed: false,
    })
  })

  it('marks the final kline update closed and skips intervals without a unified spelling', () => {
    const kline = JSON.parse(readFixtureFrame('binance', 'doc_kline.json'))
    const closed = decode(JSON.stringify({ ...kline, k: { ...kline.k, x: true } }), spot)
    expect(closed[0]).toMatchObject({ kind: 'candle', closed: true })
    expect(decode(JSON.stringify({ ...kline, k: { ...kline.k, i: '8h' } }), spot)).toEqual([])
  })

  it('gives no events for depth diffs (book sync owns them) and parses their raw levels', () => {
    expect(decodeFixture('doc_depthUpdate.json')).toEqual([])
    const update = parseBinanceDepthUpdate(JSON.parse(readFixtureFrame('binance', 'doc_depthUpdate.json')))
    expect(update).toEqual({
      venueSymbol: 'BNBBTC',
      firstUpdateId: 157,
      finalUpdateId: 160,
      previousFinalUpdateId: null,
      eventTime: 1672515782136,
      bids: [['0.0024', '10']],
      asks: [['0.0026', '100']],
    })
  })

  it('parses the REST depth snapshot with its lastUpdateId', () => {
    expect(
      parseBinanceDepthSnapshot(JSON.parse(readFixtureFrame('binance', 'doc_rest_depth_snapshot.json'))),
    ).toEqual({
      lastUpdateId: 1027024,
      bids: [['4.00000000', '431.00000000']],
      asks: [['4.00000200', '12.00000000']],
    })
  })

  it('decodes a partial depth inside a combined stream as a snapshot book', () => {
    const data = JSON.parse(readFixtureFrame('binance', 'doc_partial_depth.json'))
    const frame = JSON.stringify({ stream: 'bnbbtc@depth5@100ms', data })
    const events = decodeBinance(frame, spot)
    expect(events).toEqual([
      {
        kind: 'book',
        ...base,
        symbol: 'BNB/BTC',
        venueSymbol: 'BNBBTC',
        exchangeTime: null,
        bids: [[0.0024, 10]],
        asks: [[0.0026, 100]],
        sequence: 160,
        isSnapshot: true,
      },
    ])
    // A bare partial depth names no symbol: an error, not a guess.
    expect(decodeFixture('doc_partial_depth.json')[0]).toMatchObject({ kind: 'error', code: 'DECODE_ERROR' })
  })

  it('uses the instruments map and the market from the context (linear perpetuals)', () => {
    const frame = readFixtureFrame('binance', 'real_aggTrade_combined.json')
    const [event] = decode(frame, linear)
    expect(event).toMatchObject({ market: 'linear', symbol: 'NKN/USDT:USDT', receivedAt: 2_000 })
    const [mapped] = decode(frame, { ...spot, symbolOf: (s) => (s === 'NKNUSDT' ? 'NKN/USDT' : undefined) })
    expect(mapped).toMatchObject({ symbol: 'NKN/USDT' })
  })

  it('decodes futures bookTicker and depthUpdate with pu', () => {
    const bbo = JSON.stringify({
      stream: 'btcusdt@bookTicker',
      data: {
        e: 'bookTicker',
        u: 400900217,
        E: 1568014460893,
        T: 1568014460891,
        s: 'BTCUSDT',
        b: '25.35190000',
        B: '31.21000000',
        a: '25.36520000',
        A: '40.66000000',
      },
    })
    expect(decode(bbo, linear)[0]).toMatchObject({
      kind: 'bbo',
      symbol: 'BTC/USDT:USDT',
      exchangeTime: 1568014460893,
      bidPrice: 25.3519,
    })
    const update = parseBinanceDepthUpdate({
      e: 'depthUpdate',
      E: 1,
      T: 1,
      s: 'BTCUSDT',
      U: 157,
      u: 160,
      pu: 149,
      b: [],
      a: [],
    })
    expect(update?.previousFinalUpdateId).toBe(149)
  })

  it('skips control replies, server shutdown and unknown event types', () => {
    expect(decodeFixture('doc_subscribe_response.json')).toEqual([])
    expect(decodeFixture('doc_list_subscriptions_response.json')).toEqual([])
    expect(decodeFixture('doc_server_shutdown_combined.json')).toEqual([])
    expect(decodeFixture('doc_server_shutdown_raw.json')).toEqual([])
    expect(decodeFixture('doc_wsapi_userDataStream_subscribe_response.json')).toEqual([])
    expect(decode('{"e":"somethingNew","E":1}', spot)).toEqual([])
  })

  it('turns venue error replies into error events', () => {
    expect(decodeFixture('real_error_invalid_stream.json')).toEqual([
      expect.objectContaining({
        kind: 'error',
        code: 'SUBSCRIPTION_ERROR',
        message: 'Binance refused request 2: Invalid request: invalid stream (code 2).',
      }),
    ])
    expect(decodeFixture('doc_wsapi_error_session_revoked.json')[0]).toMatchObject({
      kind: 'error',
      code: 'AUTHENTICATION_ERROR',
    })
  })
})

describe('decodeBinance: user data', () => {
  const report = {
    e: 'executionReport',
    E: 1499405658658,
    s: 'ETHBTC',
    c: 'mUvoqJxFIILMdfAW5iGSOW',
    S: 'BUY',
    o: 'LIMIT',
    f: 'GTC',
    q: '1.00000000',
    p: '0.10264410',
    P: '0.00000000',
    F: '0.00000000',
    g: -1,
    C: '',
    x: 'TRADE',
    X: 'PARTIALLY_FILLED',
    r: 'NONE',
    i: 4293153,
    l: '0.25000000',
    z: '0.50000000',
    L: '0.10264410',
    n: '0',
    N: null,
    T: 1499405658657,
    t: 12,
    I: 8641984,
    w: true,
    m: false,
    M: false,
    O: 1499405658657,
    Z: '0.05132205',
    Y: '0.02566102',
    Q: '0.00000000',
  }

  it('decodes executionReport inside the WebSocket API envelope', () => {
    const events = decode(JSON.stringify({ subscriptionId: 0, event: report }), spot)
    expect(events).toEqual([
      {
        kind: 'order',
        ...base,
        symbol: 'ETH/BTC',
        venueSymbol: 'ETHBTC',
        exchangeTime: 1499405658658,
        orderId: '4293153',
        clientOrderId: 'mUvoqJxFIILMdfAW5iGSOW',
        side: 'buy',
        type: 'limit',
        status: 'partially_filled',
        price: 0.1026441,
        amount: 1,
        filled: 0.5,
        averagePrice: 0.1026441,
      },
    ])
    marketEventSchema.parse(events[0])
  })

  it('decodes outboundAccountPosition into one balance per asset', () => {
    const frame = JSON.stringify({
      subscriptionId: 0,
      event: {
        e: 'outboundAccountPosition',
        E: 1564034571105,
        u: 1564034571073,
        B: [
          { a: 'ETH', f: '10000.000000', l: '0.000000' },
          { a: 'USDT', f: '12.5', l: '7.5' },
        ],
      },
    })
    expect(decode(frame, spot)).toEqual([
      {
        kind: 'balance',
        venue: 'binance',
        market: 'spot',
        asset: 'ETH',
        free: 10000,
        locked: 0,
        exchangeTime: 1564034571105,
        receivedAt: 1_000.5,
      },
      {
        kind: 'balance',
        venue: 'binance',
        market: 'spot',
        asset: 'USDT',
        free: 12.5,
        locked: 7.5,
        exchangeTime: 1564034571105,
        receivedAt: 1_000.5,
      },
    ])
  })

  it('rejects an executionReport with an unknown status', () => {
    const [event] = decode(JSON.stringify({ ...report, X: 'WEIRD' }), spot)
    expect(event).toMatchObject({ kind: 'error', code: 'DECODE_ERROR' })
  })
})

describe('decodeBinance: totality', () => {
  it.each([
    ['garbage', 'not json at all'],
    ['truncated JSON', '{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":16'],
    ['a JSON array', '[1,2,3]'],
    ['a JSON number', '42'],
    ['null', 'null'],
    ['wrong price type', '{"e":"aggTrade","E":1,"s":"BTCUSDT","a":1,"p":{"x":1},"q":"1","T":1,"m":true}'],
    ['non-numeric price', '{"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"abc","q":"1","T":1,"m":true}'],
    ['missing symbol', '{"e":"24hrTicker","E":1,"c":"1"}'],
    ['symbol of the wrong type', '{"e":"24hrTicker","E":1,"s":5,"c":"1"}'],
    ['kline without k', '{"e":"kline","E":1,"s":"BTCUSDT"}'],
    ['bookTicker without prices', '{"u":1,"s":"BTCUSDT","b":null,"a":"1"}'],
    ['e of the wrong type', '{"e":7}'],
    ['unknown shape', '{"hello":"world"}'],
    ['data not an object', '{"stream":"btcusdt@aggTrade","data":"x"}'],
    ['unsplittable symbol', '{"e":"aggTrade","E":1,"s":"ZZZ","a":1,"p":"1","q":"1","T":1,"m":true}'],
  ])('gives a DECODE_ERROR event for %s', (_name, frame) => {
    const events = decode(frame, spot)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ kind: 'error', code: 'DECODE_ERROR', venue: 'binance' })
    marketEventSchema.parse(events[0])
  })

  it('truncates the raw frame it attaches', () => {
    const frame = `{"x":"${'a'.repeat(5_000)}`
    const [event] = decode(frame, spot)
    expect(event?.kind).toBe('error')
    if (event?.kind === 'error') expect(event.raw?.length).toBeLessThan(600)
  })

  it('never throws and only emits schema-valid events, for any string or JSON value', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ stream: 'x@y', data: v })),
        ),
        (frame) => {
          for (const event of decode(frame, spot)) marketEventSchema.parse(event)
        },
      ),
      { numRuns: 500 },
    )
  })
})

describe('control frames', () => {
  it('recognizes acks, list replies and errors by request id', () => {
    expect(parseBinanceControl(readFixtureFrame('binance', 'doc_subscribe_response.json'))).toEqual({
      requestId: '1',
      ok: true,
    })
    expect(parseBinanceControl(readFixtureFrame('binance', 'doc_list_subscriptions_response.json'))).toEqual({
      requestId: '3',
      ok: true,
      topics: ['btcusdt@aggTrade'],
    })
    expect(parseBinanceControl(readFixtureFrame('binance', 'real_error_invalid_stream.json'))).toEqual({
      requestId: '2',
      ok: false,
      message: 'Invalid request: invalid stream (code 2)',
    })
    expect(parseBinanceControl(readFixtureFrame('binance', 'real_aggTrade_combined.json'))).toBeNull()
    expect(parseBinanceControl('{"id":1')).toBeNull()
  })

  it('recognizes serverShutdown raw and combined', () => {
    expect(isBinanceServerShutdown(readFixtureFrame('binance', 'doc_server_shutdown_raw.json'))).toBe(true)
    expect(isBinanceServerShutdown(readFixtureFrame('binance', 'doc_server_shutdown_combined.json'))).toBe(
      true,
    )
    expect(isBinanceServerShutdown(readFixtureFrame('binance', 'real_aggTrade_combined.json'))).toBe(false)
  })

  it('tells data frames from control and shutdown frames by prefix, and still reads spaced frames', () => {
    for (const file of ['doc_aggTrade.json', 'doc_depthUpdate.json', 'doc_bookTicker.json']) {
      const frame = readFixtureFrame('binance', file)
      expect(parseBinanceControl(frame)).toBeNull()
      expect(isBinanceServerShutdown(frame)).toBe(false)
    }
    expect(isBinanceServerShutdown('{"stream":"!ticker@arr","data":[{"e":"24hrTicker"}]}')).toBe(false)
    expect(isBinanceServerShutdown('{"e":"aggTrade","m":"serverShutdown"}')).toBe(false)
    // Pretty-printed, as in the docs: no prefix matches, so the full check decides.
    expect(isBinanceServerShutdown(readFixture('binance', 'doc_server_shutdown_raw.json'))).toBe(true)
    expect(isBinanceServerShutdown(readFixture('binance', 'doc_server_shutdown_combined.json'))).toBe(true)
    expect(parseBinanceControl(readFixture('binance', 'doc_subscribe_response.json'))).toEqual({
      requestId: '1',
      ok: true,
    })
    expect(parseBinanceControl('{"result":null,"id":7}')).toEqual({ requestId: '7', ok: true })
  })

  it('parses WebSocket API replies', () => {
    expect(
      parseBinanceWsApiResponse(readFixtureFrame('binance', 'doc_wsapi_error_session_revoked.json')),
    ).toEqual({
      id: null,
      status: 401,
      result: null,
      error: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' },
    })
    expect(
      parseBinanceWsApiResponse(
        readFixtureFrame('binance', 'doc_wsapi_userDataStream_subscribe_response.json'),
      ),
    ).toEqual({
      id: 'd3df8a21-98ea-4fe0-8f4e-0fcea5d418b7',
      status: 200,
      result: { subscriptionId: 0 },
      error: null,
    })
  })
})

describe('parseRawLevels', () => {
  it('keeps well-formed pairs, trims longer levels to pairs and rejects malformed ones', () => {
    expect(
      parseRawLevels([
        ['1.5', '2'],
        ['1.4', '3'],
      ]),
    ).toEqual([
      ['1.5', '2'],
      ['1.4', '3'],
    ])
    expect(
      parseRawLevels([
        ['1.5', '2'],
        ['1.4', '3', 'extra'],
        ['1.3', '4'],
      ]),
    ).toEqual([
      ['1.5', '2'],
      ['1.4', '3'],
      ['1.3', '4'],
    ])
    expect(parseRawLevels([])).toEqual([])
    // Any text unary plus reads as finite is accepted, as before; overflowing text is not.
    expect(parseRawLevels([['1e2', ' 2']])).toEqual([['1e2', ' 2']])
    expect(parseRawLevels([['9'.repeat(400), '1']])).toBeNull()
    expect(parseRawLevels([['9'.repeat(300), '1']])).not.toBeNull()
    for (const bad of [
      [['1.5']],
      [['x', '2']],
      [['1.5', '']],
      [[1.5, '2']],
      [['1.5', 'NaN']],
      'levels',
      null,
    ]) {
      expect(parseRawLevels(bad), JSON.stringify(bad)).toBeNull()
    }
  })
})
