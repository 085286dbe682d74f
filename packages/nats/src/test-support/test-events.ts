import type { BookEvent, StatusEvent, TickerEvent, TradeEvent } from '@tickmesh/core'

// Small event builders for this package's tests.

export function tradeEvent(id: number, symbol = 'BTC/USDT', overrides: Partial<TradeEvent> = {}): TradeEvent {
  return {
    kind: 'trade',
    venue: 'binance',
    market: 'spot',
    symbol,
    venueSymbol: symbol.replace('/', ''),
    exchangeTime: 1_700_000_000_000 + id,
    receivedAt: 1_700_000_000_000.5 + id,
    id: String(id),
    price: 50_000 + id,
    amount: 0.01,
    side: id % 2 === 0 ? 'buy' : 'sell',
    ...overrides,
  }
}

export function bookEvent(
  sequence: number,
  symbol = 'BTC/USDT',
  overrides: Partial<BookEvent> = {},
): BookEvent {
  return {
    kind: 'book',
    venue: 'binance',
    market: 'spot',
    symbol,
    venueSymbol: symbol.replace('/', ''),
    exchangeTime: 1_700_000_000_000 + sequence,
    receivedAt: 1_700_000_000_000.25 + sequence,
    bids: [[50_000 - sequence, 1]],
    asks: [[50_001 + sequence, 2]],
    sequence,
    isSnapshot: true,
    ...overrides,
  }
}

export function tickerEvent(last: number, symbol = 'BTC/USDT'): TickerEvent {
  return {
    kind: 'ticker',
    venue: 'okx',
    market: 'spot',
    symbol,
    venueSymbol: symbol.replace('/', '-'),
    exchangeTime: 1_700_000_000_000 + last,
    receivedAt: 1_700_000_000_000.75 + last,
    last,
    bid: last - 1,
    bidSize: 1,
    ask: last + 1,
    askSize: 1,
    open24h: null,
    high24h: null,
    low24h: null,
    baseVolume24h: null,
    quoteVolume24h: null,
  }
}

export function statusEvent(attempt: number): StatusEvent {
  return {
    kind: 'status',
    venue: 'bybit',
    market: null,
    state: 'reconnecting',
    reason: 'test',
    symbol: null,
    channel: null,
    url: null,
    attempt,
    receivedAt: 1_700_000_000_000 + attempt,
  }
}
