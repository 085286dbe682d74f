import type { WebSocketConstructor } from '../adapter/adapter-types'
import type { TickmeshError } from '../errors'
import type { ConnectionState } from '../events'

/** Backoff with full jitter: delay = random(0, min(maxDelayMs, baseDelayMs * 2^(attempt - 1))), attempt 1-based. */
export interface BackoffOptions {
  /** Default 500 ms. */
  baseDelayMs?: number
  /** Default 30 000 ms. */
  maxDelayMs?: number
  /** A connection open this long resets the attempt counter. Default 30 000 ms. */
  stableAfterMs?: number
  /** Replace the whole policy: delay before reconnect attempt `attempt` (1-based). */
  retryDelayMs?: (attempt: number) => number
}

/** How a venue keeps a connection alive and how the client notices a dead peer. */
export interface KeepAliveOptions {
  /** Send `buildPing()` every `intervalMs` (Bybit 20 s) — or, with `whenIdle`, only after that much silence (OKX). */
  intervalMs?: number
  whenIdle?: boolean
  /** An application-level ping (`{"op":"ping"}`, `ping`); absent → WebSocket protocol ping frames. */
  buildPing?: () => string
  /** Recognizes the venue's pong; pongs are swallowed (not passed to `onMessage`). */
  isPong?: (text: string) => boolean
  /** No pong (or any frame) within this after a ping → the peer is dead → reconnect. */
  pongTimeoutMs?: number
  /**
   * The server pings (Binance): answer protocol ping frames with pongs (ws does this) and treat the
   * absence of any frame, ping included, for `serverSilenceMs` as a dead connection.
   */
  serverSilenceMs?: number
}

/** Per-topic stall detection that learns each topic's normal message gap. */
export interface IdleTimeoutOptions {
  /** Never declare a topic stale sooner than this. Default 5 000 ms. */
  minMs?: number
  /** Always declare it stale after this much silence. Default 60 000 ms. */
  maxMs?: number
  /**
   * Stale after clamp(mean + multiplier × max(dev, mean / 4), minMs, maxMs), where mean/dev are EWMAs
   * of the topic's gap and its deviation (see TopicIdleTracker). Default 8.
   */
  multiplier?: number
}

export interface ReconnectingSocketOptions {
  /** Ordered endpoints; on failure the next is tried, wrapping around. */
  urls: readonly string[]
  WebSocket?: WebSocketConstructor
  /** Default 10 000 ms. */
  openTimeoutMs?: number
  backoff?: BackoffOptions
  keepAlive?: KeepAliveOptions
  idle?: IdleTimeoutOptions
  /** Outbound pacing: at most this many messages per second (Binance 5, pings included). */
  maxMessagesPerSecond?: number
  /** Outbound queue bound; sending beyond it rejects with a RateLimitError. Default 10 000. */
  maxQueuedMessages?: number
  /** Inbound frame size bound (bytes); a larger frame closes the connection (1009), reports an error and reconnects. Default 16 MiB. */
  maxPayloadBytes?: number
  /**
   * Drop messages still queued when a connection is lost instead of sending them on the next one.
   * Default false. The topic pool sets it: it replays its topics itself after every reconnect.
   */
  dropQueueOnDisconnect?: boolean
  /** Random source for backoff jitter (tests seed it). Default Math.random. */
  random?: () => number
  /** Proxy URL; default from HTTPS_PROXY / https_proxy (NO_PROXY honored). `null` disables. */
  proxy?: string | null
  headers?: Record<string, string>
  /** Venue id used in errors and status events. */
  label?: string
  /**
   * Called on every open (first and after each reconnect) before queued messages flush: send
   * auth and replay subscriptions here. Messages sent from it go first.
   */
  onOpen?: (context: { url: string; attempt: number; isReconnect: boolean }) => void
  /** Every text frame (pongs excluded), with its local receive time. Must not throw (errors are caught). */
  onMessage: (text: string, receivedAt: number) => void
  onStatus?: (change: SocketStatusChange) => void
  onError?: (error: TickmeshError) => void
}

export interface SocketStatusChange {
  state: ConnectionState
  reason: string
  url: string
  attempt: number
  /** Close code from the peer when the state came from a close. */
  closeCode?: number
}

export interface ReconnectingSocket {
  readonly state: ConnectionState
  readonly url: string
  /** Starts connecting; resolves once open the first time, rejects on a timeout error if never opened. */
  connect(): Promise<void>
  /** Queues and paces a message; sent when open. Messages sent before open wait in the queue. */
  send(text: string): void
  /** Forces a reconnect (planned disconnect, resync), without waiting for a failure. */
  reconnect(reason: string): void
  /** Records activity on a topic for its learned idle timeout. */
  touch(topic: string, receivedAt: number): void
  /** Starts/stops watching a topic for silence; a stale topic emits `stale` and reconnects. */
  watch(topic: string): void
  unwatch(topic: string): void
  /** Closes for good: no reconnect, every timer cleared. */
  close(code?: number, reason?: string): Promise<void>
}
