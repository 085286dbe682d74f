import { type AdapterSettings, assertSecureUrl } from '@tickmesh/core'

/** Settings of `createOkx`. Every field is optional; defaults are the live OKX endpoints. */
export interface OkxSettings extends AdapterSettings {
  /** Send the text `ping` after this much silence on a connection (OKX closes after 30 s). Default 25 000 ms. */
  pingAfterIdleMs?: number
  /** No `pong` (or any frame) this long after a ping → the connection is dead → reconnect. Default 10 000 ms. */
  pongTimeoutMs?: number
  /** How long to wait for a subscribe ack. Default 10 000 ms. */
  ackTimeoutMs?: number
  /** `books` (400 levels) channels per connection; OKX asks to stay under ~30. Default 30. */
  maxBookChannelsPerConnection?: number
  /** Other channels per connection. Default 240. */
  maxChannelsPerConnection?: number
  /** Args per subscribe request (OKX counts requests: 480 per hour per connection). Default 100. */
  maxArgsPerRequest?: number
  /**
   * Book levels per side in `book` events when a subscription gives no depth. Default 50. When set,
   * it also caps every subscription's depth (at most OKX's 400-level window either way).
   */
  bookDepth?: number
  /** Instruments are re-fetched after this long. Default 3 600 000 ms. */
  instrumentsTtlMs?: number
  /** Events buffered per async-iterator consumer before the oldest are dropped. Default 10 000. */
  highWaterMark?: number
  /** Local clock in ms (tests inject a drifted one). Default `Date.now`. */
  now?: () => number
  /**
   * Sign logins with the venue's time (local clock + offset measured on `/api/v5/public/time`) so a
   * drifted local clock still logs in. Default true; false signs with the local clock as is.
   */
  useServerTime?: boolean
  /** Same as `useServerTime` (the name Binance and Coinbase use); that one wins when both are set. */
  syncClock?: boolean
  /** Same as `now` (the name Binance and Coinbase use). */
  clock?: () => number
}

export const OKX_DEFAULT_WS_URL = 'wss://ws.okx.com:8443'
export const OKX_DEFAULT_REST_URL = 'https://www.okx.com'
/** Same as `OKX_DEFAULT_WS_URL`, named like the other venues' constants (`BINANCE_WS_URL` …). */
export const OKX_WS_URL = OKX_DEFAULT_WS_URL
/** Same as `OKX_DEFAULT_REST_URL`, named like the other venues' constants. */
export const OKX_REST_URL = OKX_DEFAULT_REST_URL

/** Levels per side in `book` events when neither the request nor the settings give a depth (as on every venue). */
export const OKX_DEFAULT_BOOK_DEPTH = 50

export const OKX_PATHS = {
  public: '/ws/v5/public',
  business: '/ws/v5/business',
  private: '/ws/v5/private',
} as const

/** Base URL(s) + the venue's path: `ws://127.0.0.1:1234` → `ws://127.0.0.1:1234/ws/v5/public`. */
export function okxWsUrls(base: string | readonly string[] | undefined, path: string): string[] {
  const bases = base === undefined ? [OKX_DEFAULT_WS_URL] : typeof base === 'string' ? [base] : [...base]
  return bases.map((url) => `${url.replace(/\/+$/, '')}${path}`)
}

/** Live venues only over TLS: plain ws:// or http:// is allowed to loopback (the simulator) or with `allowInsecure`. */
export function assertSecureUrls(urls: readonly string[], allowInsecure: boolean): void {
  for (const url of urls) assertSecureUrl(url, { venue: 'okx', allowInsecure })
}
