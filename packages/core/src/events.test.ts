import { describe, expect, it } from 'vitest'
import { type MarketEvent, marketEventSchema, nowMs } from './events'

const market = {
  venue: 'binance',
  market: 'spot',
  symbol: 'BTC/USDT',
  venueSymbol: 'BTCUSDT',
  exchangeTime: 1_700_000_000_000,
  receivedAt: 1_700_000_000_001.25,
} as const

const valid: MarketEvent[] = [
  {
    kind: 'ticker',
    ...market,
    last: 1,
    bid: 1,
    bidSize: 1,
    ask: 2,
    askSize: 1,
    open24h: null,
    high24h: null,
    low24h: null,
    baseVolume24h: 10,
    quoteVolume24h: null,
  },
  { kind: 'trade', ...market, id: '42', price: 100.5, amount: 0.1, side: 'buy' },
  { kind: 'bbo', ...market, bidPrice: 1, bidSize: 2, askPrice: 3, askSize: 4 },
  { kind: 'book', ...market, bids: [[1, 2]], asks: [[3, 4]], sequence: 7, isSnapshot: true },
  {
    kind: 'candle',
    ...market,
    interval: '1m',
    openTime: 1_700_000_000_000,
    open: 1,
    high: 2,
    low: 0.5,
    close: 1.5,
    volume: 10,
    closed: false,
  },
  {
    kind: 'order',
    ...market,
    orderId: '1',
    clientOrderId: null,
    side: 'sell',
    type: 'limit',
    status: 'partially_filled',
    price: 100,
    amount: 1,
    filled: 0.5,
    averagePrice: 100,
  },
  {
    kind: 'balance',
    venue: 'okx',
    market: 'spot',
    asset: 'USDT',
    free: 10,
    locked: 0,
    exchangeTime: null,
    receivedAt: 1,
  },
  {
    kind: 'status',
    venue: 'bybit',
    market: 'linear',
    state: 'reconnecting',
    reason: 'socket closed',
    symbol: null,
    channel: null,
    url: 'wss://stream.bybit.com/v5/public/linear',
    attempt: 2,
    receivedAt: 1,
  },
  {
    kind: 'error',
    venue: 'coinbase',
    market: null,
    symbol: null,
    code: 'DECODE_ERROR',
    message: 'bad frame',
    hint: null,
    raw: '{',
    receivedAt: 1,
  },
  {
    kind: 'gap',
    ...market,
    channel: 'trades',
    fromId: '1',
    toId: '9',
    fromTime: null,
    toTime: null,
    reason: 'outage longer than the REST backfill',
  },
]

describe('marketEventSchema', () => {
  it.each(valid.map((event) => [event.kind, event] as const))('accepts a valid %s event', (_kind, event) => {
    const result = marketEventSchema.safeParse(event)
    expect(result.success).toBe(true)
    // Survives a JSON round trip unchanged (nulls, not absent fields).
    expect(marketEventSchema.parse(JSON.parse(JSON.stringify(event)))).toEqual(event)
  })

  it('covers every kind', () => {
    expect(new Set(valid.map((event) => event.kind)).size).toBe(10)
  })

  it.each([
    ['a price given as a string', { ...valid[1]!, price: '100.5' }],
    ['a NaN price', { ...valid[1]!, price: Number.NaN }],
    ['an infinite size', { ...valid[3]!, bids: [[1, Number.POSITIVE_INFINITY]] }],
    ['an unknown venue', { ...valid[1]!, venue: 'kraken' }],
    ['an unknown market', { ...valid[1]!, market: 'futures' }],
    ['an unknown kind', { ...valid[1]!, kind: 'quote' }],
    ['a missing receivedAt', { ...valid[2]!, receivedAt: undefined }],
    ['an absent nullable field', { ...valid[2]!, bidPrice: undefined }],
    ['a bad side', { ...valid[1]!, side: 'long' }],
    ['a bad candle interval', { ...valid[4]!, interval: '7m' }],
    ['a negative reconnect attempt', { ...valid[7]!, attempt: -1 }],
    ['a book level with three numbers', { ...valid[3]!, asks: [[1, 2, 3]] }],
  ])('rejects %s', (_name, event) => {
    expect(marketEventSchema.safeParse(event).success).toBe(false)
  })
})

describe('nowMs', () => {
  it('is wall-clock time in ms with sub-millisecond precision', () => {
    const before = Date.now()
    const now = nowMs()
    expect(Math.abs(now - before)).toBeLessThan(1000)
    expect(Number.isInteger(nowMs()) && Number.isInteger(nowMs()) && Number.isInteger(nowMs())).toBe(false)
  })
})
