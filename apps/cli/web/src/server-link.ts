import type { ServerMessage } from '../../src/serve/dashboard-messages'

export type LinkState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'live' }
  | { kind: 'waiting'; attempt: number; retryInMs: number }

export interface ServerLinkOptions {
  url: string
  onMessage(message: ServerMessage): void
  onState(state: LinkState): void
  /** No message for this long means the link is dead even if the socket looks open (default 10 s). */
  silenceMs?: number
}

/** Retry delay: 0.5 s doubling to 5 s, with jitter so many pages do not reconnect in lockstep. */
export function retryDelayMs(attempt: number): number {
  const base = Math.min(5_000, 500 * 2 ** Math.max(0, attempt - 1))
  return Math.round(base * (0.8 + Math.random() * 0.4))
}

/** One WebSocket to the tickmesh server that reconnects by itself, forever, until `close()`. */
export class ServerLink {
  private socket: WebSocket | null = null
  private attempt = 0
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private silenceTimer: ReturnType<typeof setTimeout> | null = null
  private closed = false

  constructor(private readonly options: ServerLinkOptions) {}

  open(): void {
    if (this.closed) return
    this.attempt++
    this.options.onState({ kind: 'connecting', attempt: this.attempt })
    const socket = new WebSocket(this.options.url)
    this.socket = socket
    socket.onopen = () => {
      this.attempt = 0
      this.options.onState({ kind: 'live' })
      this.armSilence()
    }
    socket.onmessage = (event: MessageEvent) => {
      this.armSilence()
      if (typeof event.data !== 'string') return
      let message: ServerMessage
      try {
        message = JSON.parse(event.data) as ServerMessage
      } catch {
        return
      }
      try {
        this.options.onMessage(message)
      } catch (error) {
        console.error('tickmesh: could not draw an update', error)
      }
    }
    socket.onclose = () => this.retry(socket)
    socket.onerror = () => socket.close()
  }

  close(): void {
    this.closed = true
    this.clearTimers()
    this.socket?.close()
  }

  private retry(socket: WebSocket): void {
    if (this.socket !== socket || this.closed) return
    this.socket = null
    this.clearTimers()
    const delay = retryDelayMs(this.attempt)
    this.options.onState({ kind: 'waiting', attempt: this.attempt, retryInMs: delay })
    this.retryTimer = setTimeout(() => this.open(), delay)
  }

  private armSilence(): void {
    if (this.silenceTimer !== null) clearTimeout(this.silenceTimer)
    const socket = this.socket
    this.silenceTimer = setTimeout(() => {
      // A half-open connection (laptop sleep, proxy) never fires close: drop it and start over.
      if (socket !== null) {
        socket.close()
        this.retry(socket)
      }
    }, this.options.silenceMs ?? 10_000)
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer)
    if (this.silenceTimer !== null) clearTimeout(this.silenceTimer)
    this.retryTimer = null
    this.silenceTimer = null
  }
}
