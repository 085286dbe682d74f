import type { TickmeshError } from '../errors'
import type { MarketEvent, StatusEvent } from '../events'
import type { Credentials } from '../signing/credentials'
import type { CandleInterval, Channel, Market, VenueId } from '../venues'

/** A ws-compatible WebSocket constructor (the `ws` package's, or a test double). */
export type WebSocketConstructor = typeof import('ws').WebSocket

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/** Settings every venue factory takes (`createBinance(settings)` …). All optional. */
export interface AdapterSettings {
  /**
   * Base WebSocket URL(s), overriding the venue's defaults so a simulator, testnet or proxy can be
   * used. A list is an ordered fallback chain. The adapter appends the venue's paths.
   */
  wsUrl?: string | string[]
  /** Base REST URL (snapshots, instruments, server time, trade backfill). */
  restUrl?: string
  credentials?: Credentials
  logger?: Logger
  WebSocket?: WebSocketConstructor
  fetch?: typeof fetch
  /** Reconnect backoff; see `BackoffOptions`. */
  reconnect?: { baseDelayMs?: number; maxDelayMs?: number; stableAfterMs?: number }
  /** Socket open timeout (default 10 000 ms). */
  openTimeoutMs?: number
  /** Allow plain `ws://` to non-loopback hosts (default false: live venues only over `wss://`). */
  allowInsecure?: boolean
  /** Called with every raw frame and REST response before decoding (used by `tickmesh record`). */
  onRaw?: (item: RawItem) => void
}

/** One received item, as the recording format stores it. */
export interface RawItem {
  kind: 'ws' | 'rest'
  venue: VenueId
  market: Market
  url: string
  status?: number
  data: string
  receivedAt: number
}

export interface SubscribeRequest {
  channel: Channel
  /** Unified symbols (`BTC/USDT`, `BTC/USDT:USDT`). */
  symbols: readonly string[]
  /** Default `spot`. */
  market?: Market
  /** Book depth to keep and emit (venue default when absent). */
  depth?: number
  /** Candle interval (default `1m`). */
  interval?: CandleInterval
}

export interface SubscriptionHandlers {
  onEvent?: (event: MarketEvent) => void
  onError?: (error: TickmeshError) => void
  onStatus?: (status: StatusEvent) => void
}

/**
 * A live subscription: an async iterable of its events (bounded buffer; when a consumer falls behind,
 * the oldest events are dropped and an `error` event says how many) plus callbacks.
 */
export interface Subscription extends AsyncIterable<MarketEvent> {
  readonly id: string
  readonly request: Readonly<SubscribeRequest>
  /** Resolves when the venue acknowledged every topic; rejects with a `SubscriptionError`. */
  readonly ready: Promise<void>
  unsubscribe(): Promise<void>
}

/** What every venue package implements. */
export interface VenueAdapter {
  readonly venue: VenueId
  subscribe(request: SubscribeRequest, handlers?: SubscriptionHandlers): Subscription
  /** Every event of every subscription, including status and errors. Returns an unsubscribe. */
  onEvent(listener: (event: MarketEvent) => void): () => void
  /** Instrument metadata from the venue (cached). */
  instruments(market?: Market): Promise<readonly Instrument[]>
  /** Closes every connection and clears every timer; never reconnects afterwards. */
  close(): Promise<void>
}

export interface Instrument {
  venue: VenueId
  market: Market
  symbol: string
  venueSymbol: string
  base: string
  quote: string
  tickSize: number
  lotSize: number
}

/** What `decode` needs to know that is not in the frame. */
export interface DecodeContext {
  market: Market
  /** Local receive time (ms, sub-ms precision). */
  receivedAt: number
  /** Venue symbol → unified symbol; when absent or missing a symbol, the quote list splits it. */
  symbolOf?: (venueSymbol: string) => string | undefined
}

/** A venue's pure decoder: total, never throws, never does I/O. */
export type Decoder = (frame: string, context: DecodeContext) => MarketEvent[]

/**
 * The stateful pipeline behind an adapter, without sockets: decode, book sync (REST snapshots through
 * the injected `fetch`), ticker merging, candle building. Adapters feed it from their sockets;
 * `tickmesh replay` feeds it from a recording, so replay runs exactly the live logic.
 */
export interface FrameProcessor {
  /** One frame exactly as received on a connection of `market`. Never throws. */
  push(frame: string, market: Market, receivedAt: number): void
  /** The connection for `market` was re-established: books of that market must resync. */
  reset(market: Market): void
}

export interface FrameProcessorOptions {
  emit: (event: MarketEvent) => void
  /** Base REST URL (the venue's default when absent). */
  restUrl?: string
  fetch?: typeof fetch
  /** Book levels to keep and emit per side (venue default when absent). */
  bookDepth?: number
  onRaw?: (item: RawItem) => void
  /** Venue symbol → unified symbol, from the instruments cache when known. */
  symbolOf?: (venueSymbol: string, market: Market) => string | undefined
}
