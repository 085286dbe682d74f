import type { AdapterSettings, BackoffOptions, WebSocketConstructor } from '@tickmesh/core'
import { backoffDelayMs } from '@tickmesh/core'
import { WebSocket as WsWebSocket } from 'ws'

/** OKX accepts at most 3 new connections per second per IP; going over risks a ban. */
export const OKX_CONNECTIONS_PER_SECOND = 3

/** A reserved reconnect is matched to its connection attempt within this much. */
const CLAIM_TOLERANCE_MS = 250
/** Slack on the 1 s window for timer and clock jitter. */
const WINDOW_MARGIN_MS = 100
const STEP_MS = 25

/**
 * Keeps every connection the adapter opens (public, business and private pools alike) under OKX's
 * per-IP limit: connection attempts are recorded through the WebSocket constructor, and each
 * reconnect's jittered backoff delay is pushed later when the window around it is already full.
 * After a drop of every connection at once, the reconnects spread out instead of storming.
 */
export class OkxConnectionGate {
  /** Times of attempts made (recorded) or planned (reserved), pruned to the last few seconds. */
  private readonly attempts: Array<{ at: number; reserved: boolean }> = []

  constructor(
    private readonly limit = OKX_CONNECTIONS_PER_SECOND,
    private readonly windowMs = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The WebSocket constructor to use: `base`, recording each attempt. */
  wrap(base: WebSocketConstructor = WsWebSocket as WebSocketConstructor): WebSocketConstructor {
    const gate = this
    return class extends base {
      constructor(...args: ConstructorParameters<WebSocketConstructor>) {
        super(...args)
        gate.record()
      }
    } as unknown as WebSocketConstructor
  }

  /** Backoff options whose delay keeps each reconnect inside the limit. */
  backoff(reconnect: AdapterSettings['reconnect']): BackoffOptions {
    const base: BackoffOptions = { ...reconnect }
    return { ...base, retryDelayMs: (attempt) => this.reserve(backoffDelayMs(attempt, base)) }
  }

  record(): void {
    const now = this.now()
    this.prune(now)
    // This attempt may be one a reconnect reserved: replace the reservation rather than count twice.
    let nearest = -1
    for (let index = 0; index < this.attempts.length; index++) {
      const entry = this.attempts[index] as { at: number; reserved: boolean }
      if (entry.reserved && Math.abs(entry.at - now) <= CLAIM_TOLERANCE_MS) {
        if (nearest < 0 || Math.abs(entry.at - now) < Math.abs((this.attempts[nearest]?.at ?? 0) - now))
          nearest = index
      }
    }
    if (nearest >= 0) this.attempts.splice(nearest, 1)
    this.attempts.push({ at: now, reserved: false })
  }

  /** A delay of at least `wantedMs` at which one more connection stays within the limit; reserves it. */
  reserve(wantedMs: number): number {
    const now = this.now()
    this.prune(now)
    const window = this.windowMs + WINDOW_MARGIN_MS
    let at = now + Math.max(0, wantedMs)
    // Any 1 s window holding `at` lies within (at − window, at + window): fewer than `limit` others there.
    for (let step = 0; step < 2_000; step++) {
      let others = 0
      for (const entry of this.attempts) if (entry.at > at - window && entry.at < at + window) others++
      if (others < this.limit) break
      at += STEP_MS
    }
    this.attempts.push({ at, reserved: true })
    return at - now
  }

  private prune(now: number): void {
    const horizon = now - 3 * this.windowMs
    // Stale reservations (a socket closed before reconnecting) expire like attempts.
    for (let index = this.attempts.length - 1; index >= 0; index--) {
      if ((this.attempts[index] as { at: number }).at < horizon) this.attempts.splice(index, 1)
    }
  }
}
