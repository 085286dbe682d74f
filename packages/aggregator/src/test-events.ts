import type {
  BboEvent,
  BookEvent,
  BookLevel,
  ConnectionState,
  Market,
  StatusEvent,
  TradeEvent,
  VenueId,
} from '@tickmesh/core'

// Builders for scripted events in tests: only the fields a scenario cares about vary.

export function bbo(
  venue: VenueId,
  symbol: string,
  receivedAt: number,
  bidPrice: number | null,
  askPrice: number | null,
  sizes: { bidSize?: number | null; askSize?: number | null; exchangeTime?: number | null } = {},
): BboEvent {
  return {
    kind: 'bbo',
    venue,
    market: 'spot',
    symbol,
    venueSymbol: symbol.replace('/', ''),
    exchangeTime: sizes.exchangeTime ?? null,
    receivedAt,
    bidPrice,
    bidSize: sizes.bidSize === undefined ? 1 : sizes.bidSize,
    askPrice,
    askSize: sizes.askSize === undefined ? 1 : sizes.askSize,
  }
}

export function book(
  venue: VenueId,
  symbol: string,
  receivedAt: number,
  bids: BookLevel[],
  asks: BookLevel[],
  isSnapshot = true,
): BookEvent {
  return {
    kind: 'book',
    venue,
    market: 'spot',
    symbol,
    venueSymbol: symbol.replace('/', ''),
    exchangeTime: null,
    receivedAt,
    bids,
    asks,
    sequence: null,
    isSnapshot,
  }
}

export function trade(
  venue: VenueId,
  symbol: string,
  receivedAt: number,
  price: number,
  amount: number,
  side: 'buy' | 'sell',
): TradeEvent {
  return {
    kind: 'trade',
    venue,
    market: 'spot',
    symbol,
    venueSymbol: symbol.replace('/', ''),
    exchangeTime: null,
    receivedAt,
    id: String(receivedAt),
    price,
    amount,
    side,
  }
}

export function status(
  venue: VenueId,
  state: ConnectionState,
  receivedAt: number,
  extra: { symbol?: string | null; market?: Market | null; attempt?: number } = {},
): StatusEvent {
  return {
    kind: 'status',
    venue,
    market: extra.market === undefined ? 'spot' : extra.market,
    state,
    reason: `test: ${state}`,
    symbol: extra.symbol ?? null,
    channel: null,
    url: null,
    attempt: extra.attempt ?? 0,
    receivedAt,
  }
}
