// @tickmesh/core public API. Each section is owned by one part of core; keep exports explicit.

export type {
  AdapterSettings,
  DecodeContext,
  Decoder,
  FrameProcessor,
  FrameProcessorOptions,
  Instrument,
  Logger,
  RawItem,
  SubscribeRequest,
  Subscription,
  SubscriptionHandlers,
  VenueAdapter,
  WebSocketConstructor,
} from './adapter/adapter-types'
export type { EventStreamOptions } from './adapter/event-stream'
// --- adapter interface
export { EventStream } from './adapter/event-stream'
export type { TickmeshErrorCode, TickmeshErrorOptions } from './errors'
// --- errors
export {
  AuthenticationError,
  ChecksumError,
  ConfigError,
  ConnectionError,
  ConnectionTimeoutError,
  DecodeError,
  RateLimitError,
  RestError,
  SequenceGapError,
  SubscriptionError,
  TickmeshError,
  truncate,
} from './errors'
export type {
  BalanceEvent,
  BboEvent,
  BookEvent,
  BookLevel,
  CandleEvent,
  ConnectionState,
  ErrorEvent,
  GapEvent,
  InstrumentEvent,
  MarketEvent,
  MarketEventKind,
  OrderEvent,
  StatusEvent,
  TickerEvent,
  TradeEvent,
} from './events'
export {
  balanceEventSchema,
  bboEventSchema,
  bookEventSchema,
  bookLevelSchema,
  CONNECTION_STATES,
  candleEventSchema,
  errorEventSchema,
  gapEventSchema,
  marketEventBase,
  marketEventSchema,
  nowMs,
  orderEventSchema,
  statusEventSchema,
  tickerEventSchema,
  tradeEventSchema,
} from './events'
export type { ControlFrame, PoolConnection, TopicPool, TopicPoolOptions } from './socket/topic-pool-types'

// --- order book
export type {
  BookSide,
  OrderBookOptions,
  OrderBookView,
  RawLevel,
  SequenceRule,
  SequenceVerdict,
} from './order-book/order-book-types'
export type { SafeParseResult } from './safe-json'
export { safeParseJson, toNullableNumber, toNumber } from './safe-json'
export type { CredentialsInput } from './signing/credentials'
// --- signing and clock
export { Credentials, createCredentials, redact, revealSecret } from './signing/credentials'
// --- socket
export type {
  BackoffOptions,
  IdleTimeoutOptions,
  KeepAliveOptions,
  ReconnectingSocket,
  ReconnectingSocketOptions,
  SocketStatusChange,
} from './socket/socket-types'
export type { SymbolParts } from './symbols'
export {
  assertUnifiedSymbol,
  closestMatch,
  formatSymbol,
  KNOWN_QUOTES,
  parseSymbol,
  splitVenueSymbol,
  unifiedSymbol,
} from './symbols'
export type { CandleInterval, Channel, Market, VenueId } from './venues'
// --- model
export { CANDLE_INTERVALS, CHANNELS, candleIntervalMs, isVenueId, MARKETS, VENUES } from './venues'

// --- recording
