import {
  type AuthenticationError,
  type ClockSync,
  ConfigError,
  type Credentials,
  createReconnectingSocket,
  type KeepAliveOptions,
  type ReconnectingSocket,
  type SocketStatusChange,
  SubscriptionError,
  type TickmeshError,
  type WebSocketConstructor,
} from '@tickmesh/core'
import { okxControlOf } from './decode/okx-control'
import { isRecord } from './decode/okx-decode-context'
import { buildOkxLogin, okxLoginError } from './okx-login'

const LOGIN_ERROR_CODES = new Set(['60004', '60005', '60006', '60007', '60008', '60009', '60024'])

export interface OkxPrivateStreamOptions {
  urls: readonly string[]
  credentials: Credentials | undefined
  clock: ClockSync
  now: () => number
  useServerTime: boolean
  keepAlive: KeepAliveOptions
  ackTimeoutMs: number
  WebSocket?: WebSocketConstructor
  openTimeoutMs?: number
  backoff?: { baseDelayMs?: number; maxDelayMs?: number; stableAfterMs?: number }
  onData: (text: string, receivedAt: number, url: string) => void
  onStatus: (change: SocketStatusChange) => void
  onError: (error: TickmeshError) => void
  /** Login failed for good (wrong key or clock): the stream is closed. */
  onAuthFailed: (error: AuthenticationError) => void
}

interface Waiter {
  resolve: () => void
  reject: (error: TickmeshError) => void
}

/**
 * `/ws/v5/private`: logs in on every open (signed with the venue's time), then subscribes its
 * channels. Unlike the public pools, nothing is subscribed before the login is acknowledged.
 */
export class OkxPrivateStream {
  private socket: ReconnectingSocket | null = null
  private opening = false
  private loggedIn = false
  private failed: TickmeshError | null = null
  private readonly channels = new Map<string, Record<string, string>>()
  private readonly loginWaiters: Waiter[] = []
  private readonly ackWaiters = new Map<string, Waiter[]>()
  private closed = false

  constructor(private readonly options: OkxPrivateStreamOptions) {}

  /** Subscribes a private channel (`orders` / `account`); resolves when OKX acknowledges it. */
  async add(channel: string, arg: Record<string, string>): Promise<void> {
    if (this.failed) throw this.failed
    this.channels.set(channel, arg)
    const acked = new Promise<void>((resolve, reject) => {
      const list = this.ackWaiters.get(channel) ?? []
      list.push({ resolve, reject })
      this.ackWaiters.set(channel, list)
    })
    // Unhandled until awaited below; a login failure rejects it too.
    acked.catch(() => undefined)
    if (this.loggedIn) {
      this.socket?.send(JSON.stringify({ op: 'subscribe', args: [arg] }))
    } else {
      // The login handler subscribes every channel once OKX accepts the login.
      try {
        await this.ensureLoggedIn()
      } catch (error) {
        this.rejectAck(channel, error as TickmeshError)
        throw error
      }
    }
    const timer = setTimeout(
      () =>
        this.rejectAck(
          channel,
          new SubscriptionError(`OKX did not acknowledge the private ${channel} subscription in time.`, {
            venue: 'okx',
            isRetryable: true,
            details: { ackTimeoutMs: this.options.ackTimeoutMs },
          }),
        ),
      this.options.ackTimeoutMs,
    )
    try {
      await acked
    } finally {
      clearTimeout(timer)
    }
  }

  /** Unsubscribes a channel; true when none is left (the caller closes the stream). */
  remove(channel: string): boolean {
    const arg = this.channels.get(channel)
    if (arg) {
      this.channels.delete(channel)
      if (this.loggedIn) this.socket?.send(JSON.stringify({ op: 'unsubscribe', args: [arg] }))
    }
    return this.channels.size === 0
  }

  async close(): Promise<void> {
    this.closed = true
    const socket = this.socket
    this.socket = null
    this.loggedIn = false
    const error = new SubscriptionError('The OKX private stream was closed.', { venue: 'okx' })
    for (const waiter of this.loginWaiters.splice(0)) waiter.reject(error)
    for (const channel of [...this.ackWaiters.keys()]) this.rejectAck(channel, error)
    await socket?.close(1000, 'closed')
  }

  private ensureLoggedIn(): Promise<void> {
    if (this.loggedIn) return Promise.resolve()
    const waiting = new Promise<void>((resolve, reject) => this.loginWaiters.push({ resolve, reject }))
    // Concurrent subscribes share one connection attempt.
    if (this.socket === null && !this.opening) {
      this.opening = true
      this.open()
        .catch((error: unknown) => {
          for (const waiter of this.loginWaiters.splice(0)) waiter.reject(error as TickmeshError)
        })
        .finally(() => {
          this.opening = false
        })
    }
    return waiting
  }

  private async open(): Promise<void> {
    if (!this.options.credentials) {
      throw new ConfigError('Private OKX channels (orders, balances) need credentials.', {
        venue: 'okx',
        hint: 'Pass credentials: createCredentials({ apiKey, secret, passphrase }) to createOkx.',
      })
    }
    // Make sure signing works before connecting (missing secret/passphrase is a ConfigError).
    buildOkxLogin(this.options.credentials, '0')
    if (this.options.useServerTime) {
      try {
        await this.options.clock.sync()
      } catch (error) {
        // Sign with the local clock; a drift then shows up as a clear login error.
        this.options.onError(error as TickmeshError)
      }
    }
    if (this.closed) throw new SubscriptionError('The OKX adapter was closed.', { venue: 'okx' })
    const socket = createReconnectingSocket({
      urls: this.options.urls,
      label: 'okx-private',
      keepAlive: this.options.keepAlive,
      dropQueueOnDisconnect: true,
      ...(this.options.WebSocket ? { WebSocket: this.options.WebSocket } : {}),
      ...(this.options.openTimeoutMs ? { openTimeoutMs: this.options.openTimeoutMs } : {}),
      ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
      onOpen: () => this.sendLogin(),
      onMessage: (text, receivedAt) => this.onMessage(text, receivedAt),
      onStatus: (change) => {
        if (change.state !== 'open') this.loggedIn = false
        this.options.onStatus(change)
      },
      onError: (error) => this.options.onError(error),
    })
    this.socket = socket
    try {
      await socket.connect()
    } catch (error) {
      // Never opened: forget it so the next subscribe starts over.
      if (this.socket === socket) this.socket = null
      await socket.close(1000, 'never opened').catch(() => undefined)
      throw error
    }
  }

  private timestampSeconds(): string {
    const ms = this.options.useServerTime ? this.options.clock.serverNow() : this.options.now()
    return String(Math.floor(ms / 1000))
  }

  private sendLogin(): void {
    if (!this.socket || !this.options.credentials) return
    this.socket.send(buildOkxLogin(this.options.credentials, this.timestampSeconds()))
  }

  private onMessage(text: string, receivedAt: number): void {
    if (!text.startsWith('{"arg"')) {
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch {
        parsed = null
      }
      const control = isRecord(parsed) ? okxControlOf(parsed) : null
      if (control !== null) {
        this.onControl(control)
        return
      }
    }
    this.options.onData(text, receivedAt, this.socket?.url ?? '')
  }

  private onControl(control: NonNullable<ReturnType<typeof okxControlOf>>): void {
    if (control.type === 'login') {
      if (control.code !== '0') return
      this.loggedIn = true
      // Every channel, after the first login and after each reconnect.
      if (this.channels.size > 0) {
        this.socket?.send(JSON.stringify({ op: 'subscribe', args: [...this.channels.values()] }))
      }
      for (const waiter of this.loginWaiters.splice(0)) waiter.resolve()
      return
    }
    if (control.type === 'subscribe' && control.topic !== null) {
      const channel = control.topic.split(':')[0] ?? control.topic
      for (const waiter of this.ackWaiters.get(channel) ?? []) waiter.resolve()
      this.ackWaiters.delete(channel)
      return
    }
    if (control.type === 'notice') {
      this.socket?.reconnect(`OKX notice ${control.code}: ${control.msg}`)
      return
    }
    if (control.type !== 'error') return
    if (!this.loggedIn && LOGIN_ERROR_CODES.has(control.code)) {
      void this.failLogin(control.code, control.msg)
      return
    }
    const error = new SubscriptionError(`OKX refused a private request: ${control.code} ${control.msg}.`, {
      venue: 'okx',
      venueMessage: control.msg,
      details: { venueCode: control.code },
    })
    for (const channel of [...this.ackWaiters.keys()]) this.rejectAck(channel, error)
    this.options.onError(error)
  }

  private async failLogin(code: string, msg: string): Promise<void> {
    const localTime = this.options.now()
    let serverTime: number | null = null
    try {
      await this.options.clock.sync()
      serverTime = localTime + this.options.clock.offsetMs
    } catch {
      serverTime = null
    }
    const error = okxLoginError(code, msg, { localTime, serverTime })
    this.failed = error
    for (const waiter of this.loginWaiters.splice(0)) waiter.reject(error)
    for (const channel of [...this.ackWaiters.keys()]) this.rejectAck(channel, error)
    // Retrying a refused login only burns the 480-per-hour op budget: stop here.
    const socket = this.socket
    this.socket = null
    await socket?.close(1000, 'login refused')
    this.options.onAuthFailed(error)
  }

  private rejectAck(channel: string, error: TickmeshError): void {
    const list = this.ackWaiters.get(channel)
    if (!list) return
    this.ackWaiters.delete(channel)
    for (const waiter of list) waiter.reject(error)
  }
}
