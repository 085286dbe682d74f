// @tickmesh/core public API. Each section is owned by one part of core; keep exports explicit.

// --- model
export { CANDLE_INTERVALS, CHANNELS, MARKETS, VENUES, candleIntervalMs, isVenueId } from './venues'
export type { CandleInterval, Channel, Market, VenueId } from './venues'
export {
  CONNECTION_STATES,
  balanceEventSchema,
  bboEventSchema,
  bookEventSchema,
  bookLevelSchema,
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
  KNOWN_QUOTES,
  assertUnifiedSymbol,
  closestMatch,
  formatSymbol,
  parseSymbol,
  splitVenueSymbol,
  unifiedSymbol,
} from './symbols'
export type { SymbolParts } from './symbols'
export { safeParseJson, toNullableNumber, toNumber } from './safe-json'
export type { SafeParseResult } from './safe-json'

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
export type { TickmeshErrorCode, TickmeshErrorOptions } from './errors'

// --- adapter interface
export { EventStream } from './adapter/event-stream'
export type { EventStreamOptions } from './adapter/event-stream'
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

// --- socket
export { assertSecureUrl, isLoopbackHost } from './socket/assert-secure-url'
export type { AssertSecureUrlOptions } from './socket/assert-secure-url'
export { backoffDelayMs } from './socket/backoff'
export { createReconnectingSocket } from './socket/reconnecting-socket'
export { resolveProxy } from './socket/resolve-proxy'
export { TopicIdleTracker } from './socket/topic-idle-tracker'
export { createTopicPool } from './socket/topic-pool'
export { buildRestUrl, createRestClient, parseRetryAfterMs } from './rest/rest-client'
export type {
  RestClient,
  RestClientOptions,
  RestQuery,
  RestRawResponse,
  RestRequestOptions,
  RestResponse,
} from './rest/rest-client'
export type {
  BackoffOptions,
  IdleTimeoutOptions,
  KeepAliveOptions,
  ReconnectingSocket,
  ReconnectingSocketOptions,
  SocketStatusChange,
} from './socket/socket-types'
export type { ControlFrame, PoolConnection, TopicPool, TopicPoolOptions } from './socket/topic-pool-types'

// --- order book
export { BookSync } from './order-book/book-sync'
export type { BookSyncOptions, BookSyncResult } from './order-book/book-sync'
export { crc32, crc32Bytes, crc32Signed } from './order-book/crc32'
export { OrderBook } from './order-book/order-book'
export { isPlainDecimal, parseWireDecimal } from './order-book/parse-decimal'
export type {
  BookSide,
  OrderBookOptions,
  OrderBookView,
  RawLevel,
  SequenceRule,
  SequenceVerdict,
} from './order-book/order-book-types'

// --- signing and clock
export { Credentials, createCredentials, redact, revealSecret } from './signing/credentials'
export type { CredentialsInput } from './signing/credentials'
export { ed25519SignBase64 } from './signing/ed25519'
export { hmacSha256Base64, hmacSha256Hex, timingSafeEqualString } from './signing/hmac'
export type { HmacKey } from './signing/hmac'
export { createClockSync } from './clock/clock-sync'
export type { ClockSync, ClockSyncOptions, ClockSyncSample } from './clock/clock-sync'

// --- recording
export { isSensitiveFrame, redactUrl } from './recording/is-sensitive-frame'
export { readRecording } from './recording/read-recording'
export type { ReadRecordingOptions, RecordingReader } from './recording/read-recording'
export { decodeRecordingLine, encodeRecordingLine } from './recording/recording-format'
export type { RecordingLine } from './recording/recording-format'
export { createRecordingWriter } from './recording/recording-writer'
export type { RecordingWriter, RecordingWriterOptions } from './recording/recording-writer'

// --- trade continuity
export { TradeContinuity } from './continuity/trade-continuity'
export type { TradeContinuityOptions, TradeRange } from './continuity/trade-continuity'
