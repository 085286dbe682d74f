import type {
  BackoffOptions,
  ClockSync,
  Credentials,
  ReconnectingSocket,
  SocketStatusChange,
  TickmeshError,
  WebSocketConstructor,
} from '@tickmesh/core'
import { AuthenticationError, createReconnectingSocket } from '@tickmesh/core'
import { binanceAuthError, buildUserDataSubscribe, measureDrift } from './binance-auth'
import { parseBinanceWsApiResponse } from './decode/binance-control'

export interface UserDataStreamOptions {
  url: string
  credentials: Credentials
  clock: ClockSync
  now: () => number
  syncClock: boolean
  recvWindow: number
  WebSocket?: WebSocketConstructor
  openTimeoutMs?: number
  backoff?: BackoffOptions
  serverSilenceMs: number
  /** A user-data event frame (`{"subscriptionId","event"}`). */
  onFrame(text: string, receivedAt: number, url: string): void
  onStatus(change: SocketStatusChange): void
  /** Auth refused after a reconnect (the first refusal rejects `start()` instead). */
  onError(error: TickmeshError): void
}

/**
 * The private stream over the WebSocket API: on every open it sends a signed
 * `userDataStream.subscribe.signature` (timestamp from the venue clock), then forwards the events.
 * A refusal is final (no reconnect loop on a bad key): `start()` rejects with an AuthenticationError.
 */
export class BinanceUserDataStream {
  private readonly socket: ReconnectingSocket
  private requestCounter = 0
  private pendingId: string | null = null
  private settle: { resolve: () => void; reject: (error: TickmeshError) => void } | null = null
  private closed = false

  constructor(private readonly options: UserDataStreamOptions) {
    this.socket = createReconnectingSocket({
      urls: [options.url],
      label: 'binance-user-data',
      keepAlive: { serverSilenceMs: options.serverSilenceMs },
      ...(options.WebSocket === undefined ? {} : { WebSocket: options.WebSocket }),
      ...(options.openTimeoutMs === undefined ? {} : { openTimeoutMs: options.openTimeoutMs }),
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      onOpen: () => this.authenticate(),
      onMessage: (text, receivedAt) => this.onMessage(text, receivedAt),
      onStatus: (change) => options.onStatus(change),
      onError: (error) => options.onError(error),
    })
  }

  /** Syncs the clock (when enabled), connects and resolves once the venue accepted the subscription. */
  async start(): Promise<void> {
    if (this.options.syncClock) await this.options.clock.sync()
    const accepted = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject }
    })
    await this.socket.connect()
    return accepted
  }

  async close(): Promise<void> {
    this.closed = true
    this.settle?.reject(
      new AuthenticationError('The adapter was closed before Binance answered.', { venue: 'binance' }),
    )
    this.settle = null
    await this.socket.close()
  }

  private authenticate(): void {
    const id = `auth-${++this.requestCounter}`
    this.pendingId = id
    const timestamp = this.options.syncClock ? this.options.clock.serverNow() : this.options.now()
    this.socket.send(buildUserDataSubscribe(id, this.options.credentials, timestamp, this.options.recvWindow))
  }

  private onMessage(text: string, receivedAt: number): void {
    if (
      text.startsWith('{"subscriptionId"') ||
      (text.includes('"subscriptionId"') && text.includes('"event"'))
    ) {
      this.options.onFrame(text, receivedAt, this.socket.url)
      return
    }
    const response = parseBinanceWsApiResponse(text)
    if (response === null || response.id !== this.pendingId) return
    this.pendingId = null
    if (response.status === 200 && response.error === null) {
      this.settle?.resolve()
      this.settle = null
      return
    }
    void this.refuse(
      response.error?.code ?? response.status,
      response.error?.msg ?? `HTTP ${response.status}`,
    )
  }

  private async refuse(code: number, message: string): Promise<void> {
    const measured =
      code === -1021
        ? await measureDrift(this.options.clock, this.options.now)
        : { clockDriftMs: null, localTime: null, serverTime: null }
    const error = binanceAuthError(code, message, measured, this.options.recvWindow)
    if (this.closed) return
    // Retrying a refused key or signature would only earn an IP ban: stop here.
    void this.socket.close(1000, 'authentication refused')
    if (this.settle) {
      this.settle.reject(error)
      this.settle = null
    } else {
      this.options.onError(error)
    }
  }
}
