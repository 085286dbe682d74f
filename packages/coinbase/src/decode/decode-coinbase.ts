import type {
  BboEvent,
  BookEvent,
  BookLevel,
  DecodeContext,
  MarketEvent,
  RawLevel,
  TickerEvent,
  TradeEvent,
} from '@tickmesh/core'
import { parseWireDecimal, safeParseJson } from '@tickmesh/core'
import type { CoinbaseOrderTracker } from './coinbase-order-tracker'
import { symbolForProduct } from './coinbase-symbol'
import { decodeCoinbaseBalance, decodeCoinbaseUserOrder, isUserMatch } from './decode-coinbase-user'
import { decodeErrorEvent } from './decode-error-event'
import { parseCoinbaseSnapshot } from './parse-coinbase-book'
import { coinbaseErrorText } from './parse-coinbase-control'
import { parseCoinbaseTime } from './parse-coinbase-time'

const EMPTY: MarketEvent[] = []

/** A decimal string or number from the wire; NaN for anything else (callers check). */
function toNumber(value: unknown): number {
  if (typeof value === 'number') return value
  if (typeof value === 'string' && value.length > 0) return parseWireDecimal(value)
  return Number.NaN
}

/** Like `toNumber` but null for missing, empty or non-finite values. */
function toNullableNumber(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null
  const number = toNumber(value)
  return Number.isFinite(number) ? number : null
}

/**
 * Decodes one Coinbase Exchange feed frame into normalized events. Pure and total: it never throws
 * and never does I/O. Malformed frames become `error` events (DECODE_ERROR, raw frame truncated);
 * acks, heartbeats and unknown message types are skipped. A `snapshot` decodes to a full `book`
 * snapshot; `l2update` frames decode to nothing here because a delta is meaningless without the
 * synced book (the frame processor applies them).
 */
export function decodeCoinbase(frame: string, context: DecodeContext): MarketEvent[] {
  const parsed = safeParseJson<unknown>(frame)
  if (!parsed.success) return [decodeErrorEvent(`Invalid JSON: ${parsed.error.message}`, frame, context)]
  const message = parsed.value
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return [decodeErrorEvent('Frame is not a JSON object', frame, context)]
  }
  return decodeCoinbaseMessage(message as Record<string, unknown>, frame, context, null)
}

/** The pure decoder under the name every venue package exports. */
export const decode = decodeCoinbase

/** Decodes an already-parsed message; the frame processor calls this after its own sequence checks. */
export function decodeCoinbaseMessage(
  message: Record<string, unknown>,
  frame: string,
  context: DecodeContext,
  tracker: CoinbaseOrderTracker | null,
): MarketEvent[] {
  const type = message.type
  if (typeof type !== 'string') {
    // Coinbase Advanced Trade envelopes (`{channel, sequence_num, events}`) are a different feed,
    // which this adapter does not subscribe: recognized and skipped rather than reported as garbage.
    if (typeof message.channel === 'string' && Array.isArray(message.events)) return EMPTY
    return [decodeErrorEvent('Frame has no string "type"', frame, context)]
  }
  switch (type) {
    case 'ticker':
    case 'ticker_batch':
      return decodeTicker(message, frame, context)
    case 'match':
    case 'last_match':
      if (isUserMatch(message)) return decodeCoinbaseUserOrder(message, frame, context, tracker)
      return decodeMatch(message, frame, context)
    case 'snapshot':
      return decodeSnapshot(message, frame, context)
    case 'received':
    case 'open':
    case 'done':
    case 'change':
    case 'activate':
      return decodeCoinbaseUserOrder(message, frame, context, tracker)
    case 'balance':
      return decodeCoinbaseBalance(message, frame, context)
    case 'error':
      return [venueErrorEvent(message, frame, context)]
    // Book deltas need the synced book; liveness and acks carry no market data.
    case 'l2update':
    case 'heartbeat':
    case 'subscriptions':
    case 'status':
      return EMPTY
    default:
      return EMPTY
  }
}

function requireSymbol(
  message: Record<string, unknown>,
  frame: string,
  context: DecodeContext,
): { productId: string; symbol: string } | MarketEvent[] {
  const productId = message.product_id
  if (typeof productId !== 'string' || productId.length === 0) {
    return [decodeErrorEvent(`${String(message.type)} without a product_id`, frame, context)]
  }
  const symbol = symbolForProduct(productId, context)
  if (symbol === null) {
    return [decodeErrorEvent(`${String(message.type)} for an unknown product ${productId}`, frame, context)]
  }
  return { productId, symbol }
}

function decodeTicker(
  message: Record<string, unknown>,
  frame: string,
  context: DecodeContext,
): MarketEvent[] {
  const names = requireSymbol(message, frame, context)
  if (Array.isArray(names)) return names
  const last = toNullableNumber(message.price)
  if (last === null) {
    return [decodeErrorEvent('ticker without a numeric price', frame, context, names.symbol)]
  }
  const exchangeTime = parseCoinbaseTime(message.time)
  const bid = toNullableNumber(message.best_bid)
  const bidSize = toNullableNumber(message.best_bid_size)
  const ask = toNullableNumber(message.best_ask)
  const askSize = toNullableNumber(message.best_ask_size)
  const ticker: TickerEvent = {
    kind: 'ticker',
    venue: 'coinbase',
    market: context.market,
    symbol: names.symbol,
    venueSymbol: names.productId,
    exchangeTime,
    receivedAt: context.receivedAt,
    last,
    bid,
    bidSize,
    ask,
    askSize,
    open24h: toNullableNumber(message.open_24h),
    high24h: toNullableNumber(message.high_24h),
    low24h: toNullableNumber(message.low_24h),
    baseVolume24h: toNullableNumber(message.volume_24h),
    // Coinbase reports 24h volume in the base currency only.
    quoteVolume24h: null,
  }
  if (bid === null && ask === null) return [ticker]
  const bbo: BboEvent = {
    kind: 'bbo',
    venue: 'coinbase',
    market: context.market,
    symbol: names.symbol,
    venueSymbol: names.productId,
    exchangeTime,
    receivedAt: context.receivedAt,
    bidPrice: bid,
    bidSize,
    askPrice: ask,
    askSize,
  }
  return [ticker, bbo]
}

function decodeMatch(message: Record<string, unknown>, frame: string, context: DecodeContext): MarketEvent[] {
  const names = requireSymbol(message, frame, context)
  if (Array.isArray(names)) return names
  const price = toNumber(message.price)
  const amount = toNumber(message.size)
  const tradeId = message.trade_id
  const makerSide = message.side
  if (
    !Number.isFinite(price) ||
    !Number.isFinite(amount) ||
    (typeof tradeId !== 'number' && typeof tradeId !== 'string') ||
    (makerSide !== 'buy' && makerSide !== 'sell')
  ) {
    return [
      decodeErrorEvent('match without a numeric price, size, trade_id or side', frame, context, names.symbol),
    ]
  }
  const trade: TradeEvent = {
    kind: 'trade',
    venue: 'coinbase',
    market: context.market,
    symbol: names.symbol,
    venueSymbol: names.productId,
    exchangeTime: parseCoinbaseTime(message.time),
    receivedAt: context.receivedAt,
    id: String(tradeId),
    price,
    amount,
    // Coinbase's `side` is the maker's order side; the taker took the other side.
    side: makerSide === 'buy' ? 'sell' : 'buy',
  }
  return [trade]
}

function toBookLevels(levels: readonly RawLevel[], bids: boolean): BookLevel[] {
  const out: BookLevel[] = []
  for (const [price, size] of levels) {
    const amount = +size
    if (amount > 0) out.push([+price, amount])
  }
  // Best first: the venue sends them sorted already, but a decoder must not rely on it.
  out.sort(bids ? (a, b) => b[0] - a[0] : (a, b) => a[0] - b[0])
  return out
}

function decodeSnapshot(
  message: Record<string, unknown>,
  frame: string,
  context: DecodeContext,
): MarketEvent[] {
  const parsed = parseCoinbaseSnapshot(message)
  if (!parsed.success) return [decodeErrorEvent(parsed.reason, frame, context)]
  const snapshot = parsed.value
  const symbol = symbolForProduct(snapshot.productId, context)
  if (symbol === null) {
    return [decodeErrorEvent(`snapshot for an unknown product ${snapshot.productId}`, frame, context)]
  }
  const book: BookEvent = {
    kind: 'book',
    venue: 'coinbase',
    market: context.market,
    symbol,
    venueSymbol: snapshot.productId,
    exchangeTime: snapshot.time,
    receivedAt: context.receivedAt,
    bids: toBookLevels(snapshot.bids, true),
    asks: toBookLevels(snapshot.asks, false),
    sequence: null,
    isSnapshot: true,
  }
  return [book]
}

function venueErrorEvent(
  message: Record<string, unknown>,
  frame: string,
  context: DecodeContext,
): MarketEvent {
  const text = coinbaseErrorText(message)
  const headline = typeof message.message === 'string' ? message.message.toLowerCase() : ''
  // "Failed to subscribe" first: its reason can mention authentication (level2 without auth).
  const code = headline.includes('subscribe')
    ? 'SUBSCRIPTION_ERROR'
    : headline.includes('authentic')
      ? 'AUTHENTICATION_ERROR'
      : 'TICKMESH_ERROR'
  return {
    kind: 'error',
    venue: 'coinbase',
    market: context.market,
    symbol: null,
    code,
    message: `Coinbase replied with an error: ${text}`,
    hint:
      code === 'AUTHENTICATION_ERROR'
        ? 'Check the API key, secret, passphrase and the local clock.'
        : 'Check the channel and product names of the subscription.',
    raw: frame.length <= 512 ? frame : `${frame.slice(0, 512)}…(${frame.length} chars)`,
    receivedAt: context.receivedAt,
  }
}
