import { WebSocket } from 'ws'
import type { SimFault } from '../sim-types'

// One per client connection: every frame a venue module sends goes through `send()`, so the
// connection-level faults (stall, halfOpen, drop, malformed/oversized/unknownFields injection,
// slow-consumer disconnect) behave the same on every venue and every frame is counted.

/** Shared by all connections of a venue module; backs `VenueModule.sentFrames`. */
export interface SentCounter {
  sentFrames: number
}

export interface OutboundOptions {
  counter?: SentCounter
  /** Close the connection when more than this many bytes wait in the send buffer. Default 8 MiB. */
  maxBufferedBytes?: number
  /** Close code and reason of a slow-consumer disconnect. Default 1008 `slow consumer`. */
  slowConsumerCode?: number
  slowConsumerReason?: string
  /** How long `unknownFields` lasts when the fault gives no duration. Default 5 000 ms. */
  unknownFieldsMs?: number
  /** Clock in ms; default `Date.now`. */
  now?: () => number
}

/** The connection-level fault kinds `Outbound.apply()` handles. */
export const CONNECTION_FAULT_KINDS: ReadonlySet<SimFault['kind']> = new Set([
  'drop',
  'stall',
  'halfOpen',
  'malformed',
  'oversized',
  'unknownFields',
  'slowConsumer',
])

const MALFORMED_FRAMES = [
  '{"truncated":',
  'not json at all',
  '[1,2,',
  '{"e":123,"s":null,"E":"x"}',
  '\u0000\u0001',
]

export class Outbound {
  readonly socket: WebSocket
  private readonly counter: SentCounter
  private readonly maxBufferedBytes: number
  private readonly slowConsumerCode: number
  private readonly slowConsumerReason: string
  private readonly unknownFieldsMs: number
  private readonly now: () => number
  private stallTimer: ReturnType<typeof setTimeout> | null = null
  private unknownFieldsUntil = 0
  private malformedIndex = 0
  private closed = false

  constructor(socket: WebSocket, options: OutboundOptions = {}) {
    this.socket = socket
    this.counter = options.counter ?? { sentFrames: 0 }
    this.maxBufferedBytes = options.maxBufferedBytes ?? 8 * 1024 * 1024
    this.slowConsumerCode = options.slowConsumerCode ?? 1008
    this.slowConsumerReason = options.slowConsumerReason ?? 'slow consumer'
    this.unknownFieldsMs = options.unknownFieldsMs ?? 5_000
    this.now = options.now ?? Date.now
    socket.once('close', () => this.dispose())
  }

  /** Open and not stalled: worth producing frames for. */
  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === WebSocket.OPEN
  }

  /** A `stall` is in progress: nothing is sent, nothing read, pings go unanswered. */
  get isStalled(): boolean {
    return this.stallTimer !== null
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount
  }

  /**
   * Sends one text frame; false when it was not sent (closed or stalled). Disconnects a slow consumer
   * whose send buffer exceeds `maxBufferedBytes`, as the real venues do.
   */
  send(frame: string): boolean {
    if (!this.isOpen || this.stallTimer !== null) return false
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.close(this.slowConsumerCode, this.slowConsumerReason)
      return false
    }
    let text = frame
    if (this.unknownFieldsUntil > 0) {
      if (this.now() < this.unknownFieldsUntil) {
        // A new field a venue might add tomorrow; clients must ignore it.
        if (text.charCodeAt(0) === 123 /* { */ && text.length > 2)
          text = `{"x_sim_unknown":{"a":[1,"b"]},${text.slice(1)}`
      } else {
        this.unknownFieldsUntil = 0
      }
    }
    this.socket.send(text)
    this.counter.sentFrames++
    return true
  }

  /** A protocol-level ping, unless stalled (a stalled server answers nothing and pings nobody). */
  ping(data?: string): boolean {
    if (!this.isOpen || this.stallTimer !== null) return false
    this.socket.ping(data)
    return true
  }

  /** Applies a connection-level fault; false for kinds it does not handle (the venue module does). */
  apply(fault: SimFault): boolean {
    if (this.closed) return CONNECTION_FAULT_KINDS.has(fault.kind)
    switch (fault.kind) {
      case 'drop':
        this.close(fault.code ?? 1001, fault.reason ?? 'going away')
        return true
      case 'halfOpen':
        // Destroys the TCP socket without a close frame: the client sees 1006 / ECONNRESET.
        this.closed = true
        this.socket.terminate()
        return true
      case 'stall':
        this.stall(fault.durationMs)
        return true
      case 'malformed': {
        const count = fault.count ?? 1
        for (let index = 0; index < count; index++) {
          this.sendUncounted(MALFORMED_FRAMES[this.malformedIndex++ % MALFORMED_FRAMES.length] ?? '{')
        }
        return true
      }
      case 'oversized': {
        const bytes = fault.bytes ?? 1024 * 1024
        this.sendUncounted(`{"oversized":"${'x'.repeat(Math.max(0, bytes - 16))}"}`)
        return true
      }
      case 'unknownFields':
        this.unknownFieldsUntil = this.now() + (fault.durationMs ?? this.unknownFieldsMs)
        return true
      case 'slowConsumer':
        this.close(this.slowConsumerCode, this.slowConsumerReason)
        return true
      default:
        return false
    }
  }

  /** Closes with a close frame. */
  close(code = 1000, reason = ''): void {
    if (this.closed) return
    this.closed = true
    this.clearStall()
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      // 1005/1006/1015 are never sent on the wire (ws throws on them): `drop` with 1006 means an
      // abnormal closure, so the TCP connection is cut without a close frame.
      if (code === 1005 || code === 1006 || code === 1015 || code < 1000 || code > 4999)
        this.socket.terminate()
      else this.socket.close(code, reason)
    }
  }

  /** Destroys the socket at once (server shutdown). */
  terminate(): void {
    this.closed = true
    this.clearStall()
    this.socket.terminate()
  }

  private stall(durationMs: number): void {
    this.clearStall()
    // Pausing stops reading, so neither protocol pings nor app-level pings get an answer.
    this.socket.pause()
    this.stallTimer = setTimeout(() => {
      this.stallTimer = null
      if (!this.closed) this.socket.resume()
    }, durationMs)
  }

  private clearStall(): void {
    if (this.stallTimer === null) return
    clearTimeout(this.stallTimer)
    this.stallTimer = null
  }

  private sendUncounted(text: string): void {
    if (this.isOpen && this.stallTimer === null) this.socket.send(text)
  }

  private dispose(): void {
    this.closed = true
    this.clearStall()
  }
}
