import type { TickmeshError } from '../errors'
import type { ReconnectingSocketOptions, SocketStatusChange } from './socket-types'

/** A control frame recognized by the venue: an ack or refusal of a request, matched by id. */
export interface ControlFrame {
  /** The request id echoed by the venue; null when the venue echoes none (Coinbase's cumulative reply). */
  requestId: string | null
  ok: boolean
  /** The venue's own words on refusal. */
  message?: string
  /** Topics the frame names, when it names them. */
  topics?: readonly string[]
}

/** One connection of a pool, as hooks see it. */
export interface PoolConnection {
  readonly index: number
  readonly url: string
  send(text: string): void
  reconnect(reason: string): void
  /** Topics currently assigned to this connection. */
  readonly topics: ReadonlySet<string>
}

/**
 * Venue hooks for a pool of connections to one endpoint group (Binance spot streams, Bybit linear,
 * OKX business …). The pool plans topics onto connections within the venue's limits, paces and
 * batches (un)subscribe requests, matches acks, replays every topic after a reconnect and watches
 * each topic for silence.
 */
export interface TopicPoolOptions
  extends Pick<
    ReconnectingSocketOptions,
    | 'WebSocket'
    | 'openTimeoutMs'
    | 'backoff'
    | 'keepAlive'
    | 'idle'
    | 'maxMessagesPerSecond'
    | 'proxy'
    | 'headers'
    | 'maxPayloadBytes'
  > {
  label: string
  urls: readonly string[]
  maxTopicsPerConnection: number
  maxTopicsPerRequest: number
  /** Optional cap on total characters of topic names per connection (Bybit 21 000). */
  maxTopicCharsPerConnection?: number
  buildSubscribe(topics: readonly string[], requestId: string): string
  buildUnsubscribe(topics: readonly string[], requestId: string): string
  /** Recognizes acks/errors of (un)subscribe requests; null for anything else. */
  parseControl(text: string): ControlFrame | null
  /** How long to wait for an ack before failing the request (default 10 000 ms). */
  ackTimeoutMs?: number
  /** Before replaying topics on each open: send auth here. */
  onOpen?(connection: PoolConnection, isReconnect: boolean): void
  /** Every data frame (controls and pongs excluded). Must not throw. */
  onMessage(text: string, receivedAt: number, connection: PoolConnection): void
  onStatus?(change: SocketStatusChange, connection: PoolConnection): void
  onError?(error: TickmeshError): void
}

export interface TopicPool {
  /** Subscribes topics not yet subscribed; resolves when every one is acked, rejects with a SubscriptionError naming the venue's message. */
  add(topics: readonly string[]): Promise<void>
  remove(topics: readonly string[]): Promise<void>
  has(topic: string): boolean
  /** Marks activity on a topic (feeds its learned idle timeout). */
  touch(topic: string, receivedAt: number): void
  readonly connections: readonly PoolConnection[]
  close(): Promise<void>
}
