import { z } from 'zod'
import { CANDLE_INTERVALS, CHANNELS, MARKETS, VENUES } from './venues'

// The normalized event model every adapter emits. Prices and sizes are numbers; unknown values are
// `null` (not absent) so an event survives a JSON round trip unchanged.

const venue = z.enum(VENUES)
const market = z.enum(MARKETS)
const finite = z.number().refine(Number.isFinite, 'must be a finite number')
const nullableNumber = finite.nullable()

/** Fields every market event carries. */
export const marketEventBase = {
  venue,
  market,
  /** Unified symbol: `BTC/USDT` spot, `BTC/USDT:USDT` linear perpetual. */
  symbol: z.string().min(3),
  /** The symbol as the venue spells it (`BTCUSDT`, `BTC-USDT-SWAP`, `BTC-USD`). */
  venueSymbol: z.string().min(1),
  /** Venue timestamp in ms since the epoch, when the venue sends one. */
  exchangeTime: nullableNumber,
  /** Local receive time in ms since the epoch with sub-millisecond precision. */
  receivedAt: finite,
}

export const tickerEventSchema = z.object({
  kind: z.literal('ticker'),
  ...marketEventBase,
  last: nullableNumber,
  bid: nullableNumber,
  bidSize: nullableNumber,
  ask: nullableNumber,
  askSize: nullableNumber,
  open24h: nullableNumber,
  high24h: nullableNumber,
  low24h: nullableNumber,
  /** 24h volume in the base currency. */
  baseVolume24h: nullableNumber,
  /** 24h volume in the quote currency. */
  quoteVolume24h: nullableNumber,
})

export const tradeEventSchema = z.object({
  kind: z.literal('trade'),
  ...marketEventBase,
  /** Venue trade id as a string (numeric ids are stringified). */
  id: z.string(),
  price: finite,
  amount: finite,
  /** The taker's side. */
  side: z.enum(['buy', 'sell']),
})

export const bboEventSchema = z.object({
  kind: z.literal('bbo'),
  ...marketEventBase,
  bidPrice: nullableNumber,
  bidSize: nullableNumber,
  askPrice: nullableNumber,
  askSize: nullableNumber,
})

/** `[price, size]`, best first. */
export const bookLevelSchema = z.tuple([finite, finite])
export type BookLevel = [price: number, size: number]

/**
 * An order book, the same on every venue: each `book` event carries the whole top `depth` levels per
 * side (default 50) of the local book after the change, so a consumer replaces its copy with every
 * event and never applies them as deltas. `isSnapshot` only says what the venue sent: true when the
 * book was (re)built from a venue snapshot (Binance REST depth, Bybit `snapshot` or `u == 1`, OKX
 * `action: "snapshot"` and the books5/bbo-tbt channels, Coinbase `snapshot`, a partial-depth stream),
 * false after an incremental update. `sequence` is the venue's own id after the change (Binance `u`,
 * Bybit `u`, OKX `seqId`), null where the venue has none (Coinbase `l2update`). A book resync is
 * announced by `status` events with the symbol and `channel: 'book'`: `resyncing`, then `open`.
 */
export const bookEventSchema = z.object({
  kind: z.literal('book'),
  ...marketEventBase,
  bids: z.array(bookLevelSchema),
  asks: z.array(bookLevelSchema),
  /** The venue's sequence/update id after this change, when it has one. */
  sequence: nullableNumber,
  isSnapshot: z.boolean(),
})

export const candleEventSchema = z.object({
  kind: z.literal('candle'),
  ...marketEventBase,
  interval: z.enum(CANDLE_INTERVALS),
  openTime: finite,
  open: finite,
  high: finite,
  low: finite,
  close: finite,
  volume: finite,
  closed: z.boolean(),
})

export const orderEventSchema = z.object({
  kind: z.literal('order'),
  ...marketEventBase,
  orderId: z.string(),
  clientOrderId: z.string().nullable(),
  side: z.enum(['buy', 'sell']),
  type: z.string(),
  status: z.enum(['new', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired']),
  price: nullableNumber,
  amount: nullableNumber,
  filled: finite,
  averagePrice: nullableNumber,
})

export const balanceEventSchema = z.object({
  kind: z.literal('balance'),
  venue,
  market,
  asset: z.string(),
  free: finite,
  locked: finite,
  exchangeTime: nullableNumber,
  receivedAt: finite,
})

export const CONNECTION_STATES = [
  'connecting',
  'open',
  'reconnecting',
  'stale',
  'resyncing',
  'closed',
] as const
export type ConnectionState = (typeof CONNECTION_STATES)[number]

export const statusEventSchema = z.object({
  kind: z.literal('status'),
  venue,
  market: market.nullable(),
  state: z.enum(CONNECTION_STATES),
  /** Why the state changed, in words a user can act on. */
  reason: z.string(),
  /** Set when the status is about one symbol (a book resync), null for the whole connection. */
  symbol: z.string().nullable(),
  channel: z.enum(CHANNELS).nullable(),
  /** Endpoint the state refers to. */
  url: z.string().nullable(),
  /** Reconnect attempt number, 0 when not reconnecting. */
  attempt: z.number().int().nonnegative(),
  receivedAt: finite,
})

export const errorEventSchema = z.object({
  kind: z.literal('error'),
  venue,
  market: market.nullable(),
  symbol: z.string().nullable(),
  /** The `TickmeshError` code (`DECODE_ERROR`, `SUBSCRIPTION_ERROR`, …). */
  code: z.string(),
  message: z.string(),
  hint: z.string().nullable(),
  /** The offending frame, truncated to 512 characters. */
  raw: z.string().nullable(),
  receivedAt: finite,
})

/** A range of trades known to be missing (outage longer than the venue's REST reach). */
export const gapEventSchema = z.object({
  kind: z.literal('gap'),
  ...marketEventBase,
  channel: z.enum(CHANNELS),
  /** Last id received before the gap and first id after it. */
  fromId: z.string().nullable(),
  toId: z.string().nullable(),
  fromTime: nullableNumber,
  toTime: nullableNumber,
  reason: z.string(),
})

export const marketEventSchema = z.discriminatedUnion('kind', [
  tickerEventSchema,
  tradeEventSchema,
  bboEventSchema,
  bookEventSchema,
  candleEventSchema,
  orderEventSchema,
  balanceEventSchema,
  statusEventSchema,
  errorEventSchema,
  gapEventSchema,
])

export type TickerEvent = z.infer<typeof tickerEventSchema>
export type TradeEvent = z.infer<typeof tradeEventSchema>
export type BboEvent = z.infer<typeof bboEventSchema>
export type BookEvent = z.infer<typeof bookEventSchema>
export type CandleEvent = z.infer<typeof candleEventSchema>
export type OrderEvent = z.infer<typeof orderEventSchema>
export type BalanceEvent = z.infer<typeof balanceEventSchema>
export type StatusEvent = z.infer<typeof statusEventSchema>
export type ErrorEvent = z.infer<typeof errorEventSchema>
export type GapEvent = z.infer<typeof gapEventSchema>
export type MarketEvent = z.infer<typeof marketEventSchema>
export type MarketEventKind = MarketEvent['kind']

/** Events about one instrument's market data (everything but status, error and balance). */
export type InstrumentEvent =
  | TickerEvent
  | TradeEvent
  | BboEvent
  | BookEvent
  | CandleEvent
  | OrderEvent
  | GapEvent

/** Local receive time with sub-millisecond precision. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now()
}
