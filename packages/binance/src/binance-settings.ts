import type { AdapterSettings } from '@tickmesh/core'

/** Levels per side in `book` events when neither the request nor the settings give a depth (as on every venue). */
export const BINANCE_DEFAULT_BOOK_DEPTH = 50

export interface BinanceSettings extends AdapterSettings {
  /**
   * USDⓈ-M futures stream base (default `wss://fstream.binance.com`). When absent but `wsUrl` is
   * set (the simulator), futures streams use `<wsUrl>/fstream`.
   */
  futuresWsUrl?: string | string[]
  /** USDⓈ-M futures REST base (default `https://fapi.binance.com`; `restUrl` when only that is set). */
  futuresRestUrl?: string
  /** WebSocket API base for private streams (default `wss://ws-api.binance.com:443`, or `wsUrl`). */
  wsApiUrl?: string
  /** Levels per side in `book` events when a request gives no depth. Default 50. */
  bookDepth?: number
  /** Levels asked of the REST depth snapshot. Default 1000. */
  snapshotLimit?: number
  /** Signed request validity window in ms (Binance default 5 000, max 60 000). Default 5 000. */
  recvWindow?: number
  /** Use the venue clock (offset from `/api/v3/time`) to timestamp signed requests. Default true. */
  syncClock?: boolean
  /** The local clock in ms (tests inject a drifted one). Default `Date.now`-equivalent. */
  clock?: () => number
  /** A connection with no frame at all (data or server ping) for this long is dead. Default 60 000 ms. */
  serverSilenceMs?: number
  /** Ack timeout for SUBSCRIBE / UNSUBSCRIBE. Default 10 000 ms. */
  ackTimeoutMs?: number
  /** How long instruments stay cached. Default 1 h. */
  instrumentsTtlMs?: number
  /** Snapshot retry backoff after a failure or a stale snapshot. Default 250 ms doubling to 30 s. */
  snapshotRetry?: { baseDelayMs?: number; maxDelayMs?: number }
  /** Streams per connection (Binance allows 1024); more streams open more connections. Default 1024. */
  maxStreamsPerConnection?: number
  /** Outbound messages per second per connection (Binance allows 5, pongs included). Default 4. */
  maxMessagesPerSecond?: number
  /** Events buffered per subscription iterator before the oldest are dropped (as on every venue). Default 10 000. */
  highWaterMark?: number
}
