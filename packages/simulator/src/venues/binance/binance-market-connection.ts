import type { Market } from '@tickmesh/core'
import type { Outbound } from '../../shared/index'
import { TokenBucket } from '../../shared/index'
import type { BinanceStreamHub, StreamSink } from './binance-stream-hub'
import type { BinanceStream } from './binance-streams'

/** Limits and timers of one market-stream connection (ms values already scaled by timeScale). */
export interface MarketConnectionOptions {
  market: Market
  combined: boolean
  pingIntervalMs: number
  pongTimeoutMs: number
  lifetimeMs: number
  maxStreams: number
  maxMessagesPerSecond: number
  /**
   * Charge the client's pongs against the inbound limit, as Binance does. Off when timers are scaled
   * down for tests: pings every 200 ms would make the pongs alone use up the 5 messages/s.
   */
  countPongs: boolean
  /** Consumes an armed `errorReply` fault; true when this request must be refused. */
  takeErrorReply: () => boolean
}

const ID_STRING = /^[A-Za-z0-9-]{1,36}$/

/**
 * One client connection to `/ws`, `/ws/<stream>` or `/stream?streams=…` (and the `/fstream` futures
 * equivalents): SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / SET_PROPERTY / GET_PROPERTY with the
 * venue's replies, the 5 messages/s inbound limit (pongs count), server pings and the pong deadline.
 */
export class BinanceMarketConnection implements StreamSink {
  private readonly streams = new Map<string, BinanceStream>()
  private readonly bucket: TokenBucket
  private combined: boolean
  private lastPongAt = performance.now()
  private readonly pingTimer: ReturnType<typeof setInterval>
  private readonly lifetimeTimer: ReturnType<typeof setTimeout>
  private shutdownTimer: ReturnType<typeof setTimeout> | null = null

  constructor(
    private readonly outbound: Outbound,
    private readonly hub: BinanceStreamHub,
    private readonly options: MarketConnectionOptions,
    initialStreams: readonly BinanceStream[],
  ) {
    this.combined = options.combined
    // Capacity 5: a burst of more than 5 messages within a second is over the limit.
    this.bucket = new TokenBucket({
      capacity: options.maxMessagesPerSecond,
      refillPerSecond: options.maxMessagesPerSecond,
    })
    for (const stream of initialStreams) this.add(stream)
    const socket = outbound.socket
    socket.on('message', (data, isBinary) => this.onMessage(isBinary ? '' : data.toString()))
    socket.on('pong', () => {
      this.lastPongAt = performance.now()
      if (options.countPongs) this.countInbound()
    })
    socket.on('ping', () => this.countInbound())
    socket.once('close', () => this.dispose())
    this.pingTimer = setInterval(() => this.keepAlive(), options.pingIntervalMs)
    this.lifetimeTimer = setTimeout(
      () => outbound.close(1000, 'connection lifetime of 24h reached'),
      options.lifetimeMs,
    )
  }

  sendStream(streamName: string, payload: string): void {
    this.outbound.send(this.combined ? `{"stream":"${streamName}","data":${payload}}` : payload)
  }

  /** `serverShutdown`, then the close after `graceMs` (the venue's planned maintenance disconnect). */
  announceShutdown(eventTime: number, graceMs: number): void {
    const payload = `{"e":"serverShutdown","E":${eventTime}}`
    this.outbound.send(this.combined ? `{"stream":"!serverShutdown","data":${payload}}` : payload)
    if (this.shutdownTimer === null) {
      this.shutdownTimer = setTimeout(() => this.outbound.close(1001, 'server shutdown'), graceMs)
    }
  }

  private countInbound(): boolean {
    if (this.bucket.take()) return true
    // Binance drops a connection that sends more than 5 messages a second.
    this.outbound.close(1008, 'Too many requests')
    return false
  }

  private keepAlive(): void {
    if (performance.now() - this.lastPongAt > this.options.pongTimeoutMs) {
      this.outbound.close(1008, 'Pong timeout')
      return
    }
    this.outbound.ping()
  }

  private reply(id: unknown, body: string): void {
    this.outbound.send(`{${body},"id":${JSON.stringify(id ?? null)}}`)
  }

  private error(id: unknown, code: number, msg: string): void {
    this.reply(id, `"error":${JSON.stringify({ code, msg })}`)
  }

  private onMessage(text: string): void {
    if (!this.countInbound()) return
    let request: unknown
    try {
      request = JSON.parse(text)
    } catch (cause) {
      this.error(null, 3, `Invalid JSON: ${cause instanceof Error ? cause.message : 'unparsable'}`)
      return
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      this.error(null, 3, 'Invalid JSON: expected an object')
      return
    }
    const { method, params, id } = request as { method?: unknown; params?: unknown; id?: unknown }
    if (
      !(
        id === null ||
        id === undefined ||
        (typeof id === 'number' && Number.isInteger(id) && id >= 0) ||
        (typeof id === 'string' && ID_STRING.test(id))
      )
    ) {
      this.error(null, 2, 'Invalid request: request ID must be an unsigned integer')
      return
    }
    if (this.options.takeErrorReply()) {
      this.error(id, 2, 'Invalid request: service temporarily unavailable')
      return
    }
    switch (method) {
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE':
        this.onSubscribe(method, params, id)
        return
      case 'LIST_SUBSCRIPTIONS':
        this.reply(id, `"result":${JSON.stringify([...this.streams.keys()])}`)
        return
      case 'SET_PROPERTY':
        if (Array.isArray(params) && params[0] === 'combined' && typeof params[1] === 'boolean') {
          this.combined = params[1]
          this.reply(id, '"result":null')
        } else {
          this.error(id, 0, 'Unknown property')
        }
        return
      case 'GET_PROPERTY':
        if (Array.isArray(params) && params[0] === 'combined') this.reply(id, `"result":${this.combined}`)
        else this.error(id, 0, 'Unknown property')
        return
      default:
        this.error(id, 2, 'Invalid request: unknown method')
    }
  }

  private onSubscribe(method: 'SUBSCRIBE' | 'UNSUBSCRIBE', params: unknown, id: unknown): void {
    if (!Array.isArray(params) || params.some((param) => typeof param !== 'string')) {
      this.error(id, 1, 'Invalid value type: expected Array of Strings')
      return
    }
    const parsed: BinanceStream[] = []
    for (const name of params as string[]) {
      const stream = this.hub.parse(name, this.options.market)
      if (!stream) {
        this.error(id, 2, 'Invalid request: invalid stream')
        return
      }
      parsed.push(stream)
    }
    if (method === 'SUBSCRIBE') {
      let added = 0
      for (const stream of parsed) if (!this.streams.has(stream.name)) added++
      if (this.streams.size + added > this.options.maxStreams) {
        this.error(id, 2, 'Invalid request: too many parameters')
        return
      }
      for (const stream of parsed) this.add(stream)
    } else {
      for (const stream of parsed) {
        if (!this.streams.delete(stream.name)) continue
        this.hub.unsubscribe(stream, this)
      }
    }
    this.reply(id, '"result":null')
  }

  private add(stream: BinanceStream): void {
    if (this.streams.has(stream.name)) return
    this.streams.set(stream.name, stream)
    this.hub.subscribe(stream, this)
  }

  private dispose(): void {
    clearInterval(this.pingTimer)
    clearTimeout(this.lifetimeTimer)
    if (this.shutdownTimer !== null) clearTimeout(this.shutdownTimer)
    for (const stream of this.streams.values()) this.hub.unsubscribe(stream, this)
    this.streams.clear()
  }
}
