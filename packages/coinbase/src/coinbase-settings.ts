import type { AdapterSettings, KeepAliveOptions } from '@tickmesh/core'

export interface CoinbaseSettings extends AdapterSettings {
  /** Book levels per side in `book` events when a subscription gives no depth. Default 50. */
  bookDepth?: number
  /**
   * Use the authenticated `level2` channel (guaranteed delivery) for books instead of the public
   * `level2_batch` (50 ms batches). Needs credentials. Default false.
   */
  authenticatedBook?: boolean
  /** Sign with the venue's clock (offset from `GET /time`) rather than the local one. Default true. */
  syncClock?: boolean
  /** Local clock in ms (tests inject a drifted one). Default `Date.now`. */
  clock?: () => number
  /** WebSocket keepalive (protocol pings; the feed itself has none). Default 15 s ping, 10 s pong timeout. */
  keepAlive?: KeepAliveOptions
  /** Feed topics per connection. Default 100. */
  maxTopicsPerConnection?: number
  /** How long to wait for a `subscriptions` reply. Default 10 000 ms. */
  ackTimeoutMs?: number
  /** How often candles are closed on the clock when no trade closes them. Default 1 000 ms. */
  candleFlushMs?: number
  /** A candle closes on the clock this long after its interval ends (trades in flight still count). Default 500 ms. */
  candleCloseGraceMs?: number
  /** Most trades fetched over REST to fill one gap. Default 5 000. */
  backfillLimit?: number
  /** Events buffered per subscription iterator before the oldest are dropped. Default 10 000. */
  highWaterMark?: number
}
