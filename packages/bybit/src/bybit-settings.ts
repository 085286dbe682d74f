import type { AdapterSettings, IdleTimeoutOptions } from '@tickmesh/core'
import { assertSecureUrl, ConfigError } from '@tickmesh/core'

/** Live Bybit V5 endpoints; the adapter appends `/v5/public/spot`, `/v5/public/linear`, `/v5/private`, `/v5/market/…`. */
export const BYBIT_WS_URL = 'wss://stream.bybit.com'
export const BYBIT_REST_URL = 'https://api.bybit.com'

/** Levels per side in `book` events when neither the request nor the settings give a depth (as on every venue). */
export const BYBIT_DEFAULT_BOOK_DEPTH = 50

export interface BybitSettings extends AdapterSettings {
  /** Levels per side in `book` events when a request gives no depth (at most 1000). Default 50. */
  bookDepth?: number
  /** Client `{"op":"ping"}` period. Default 20 000 ms (Bybit's recommendation). */
  pingIntervalMs?: number
  /** No pong (or any frame) this long after a ping → reconnect. Default 10 000 ms. */
  pongTimeoutMs?: number
  /** Wait this long for a (un)subscribe ack. Default 10 000 ms. */
  ackTimeoutMs?: number
  /** Per-topic silence detection (public topics). Default min 10 s, max 5 min. */
  idle?: IdleTimeoutOptions
  /** Private auth: `expires` = now + this. Default 10 000 ms. */
  authExpiresInMs?: number
  /**
   * Sign private auth with Bybit's clock (local clock + the offset measured on `/v5/market/time`)
   * instead of the local clock. Default false: a drifted clock fails with an AuthenticationError that
   * reports the drift, so it gets fixed rather than hidden.
   */
  adjustForClockDrift?: boolean
  /** Same as `adjustForClockDrift` (the name Binance, OKX and Coinbase use); that one wins when both are set. */
  syncClock?: boolean
  /** REST retries after the first attempt for 429, 5xx, timeouts and network errors. Default 3. */
  restRetries?: number
  /** Local clock in ms (tests). Default `performance.timeOrigin + performance.now()`. */
  now?: () => number
  /** Same as `now` (the name Binance and Coinbase use). */
  clock?: () => number
  /** Events buffered per async iterator before the oldest are dropped. Default 10 000. */
  highWaterMark?: number
}

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url
}

/** Validates a base URL: a known scheme, and plain ws/http only to loopback unless allowInsecure. */
export function checkBaseUrl(url: string, secure: 'wss:' | 'https:', allowInsecure: boolean): string {
  assertSecureUrl(url, { venue: 'bybit', allowInsecure, kind: secure === 'wss:' ? 'ws' : 'http' })
  return trimSlash(url)
}

export function positiveSetting(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`Bybit setting ${name} must be a positive number of ms, got ${String(value)}.`, {
      venue: 'bybit',
      details: { [name]: value },
    })
  }
  return value
}
