import type { VenueId } from '@tickmesh/core'
import type { LatencySummary } from './latency-histogram'
import { LatencyHistogram } from './latency-histogram'

const RATE_BUCKETS = 60

/** Health of one venue's feed as seen by the view. */
export interface VenueHealth {
  venue: VenueId
  /** `receivedAt - exchangeTime + clockOffsetMs`, over every event with an exchange time. */
  latency: LatencySummary
  /** Venue clock minus local clock (ms) used for the correction. */
  clockOffsetMs: number
  /** Events received in total, and per second over the last `rateWindowSeconds` whole seconds. */
  messages: number
  messagesPerSecond: number
  rateWindowSeconds: number
  /** `gap` events (trades known missing). */
  gaps: number
  /** `status: resyncing` events (a book had to be rebuilt). */
  resyncs: number
  /** Transitions into `status: reconnecting`. */
  reconnects: number
  /** `error` events. */
  errors: number
  /** Last connection state reported, null before any status event. */
  state: string | null
}

/** Counters of one venue; fixed memory. */
export class VenueStats {
  readonly latency = new LatencyHistogram()
  clockOffsetMs = 0
  messages = 0
  gaps = 0
  resyncs = 0
  reconnects = 0
  errors = 0
  state: string | null = null
  // Per-second message counts in a ring indexed by whole second, for the message rate.
  private readonly secondCounts = new Float64Array(RATE_BUCKETS)
  private readonly secondStamps = new Float64Array(RATE_BUCKETS).fill(-1)

  constructor(readonly venue: VenueId) {}

  /** Counts one event whose receive and exchange times are in `times[2]` and `times[3]` (NaN: none). */
  observe(times: Float64Array): void {
    this.messages++
    const receivedAt = times[2]!
    const second = Math.floor(receivedAt / 1000)
    const slot = second % RATE_BUCKETS
    if (this.secondStamps[slot] !== second) {
      this.secondStamps[slot] = second
      this.secondCounts[slot] = 0
    }
    this.secondCounts[slot]!++
    const exchangeTime = times[3]!
    if (!Number.isNaN(exchangeTime)) this.latency.record(receivedAt - exchangeTime + this.clockOffsetMs)
  }

  /** Messages per second over the `windowSeconds` whole seconds before `now`'s second. */
  rate(now: number, windowSeconds: number): number {
    const window = Math.min(Math.max(1, Math.floor(windowSeconds)), RATE_BUCKETS - 1)
    const current = Math.floor(now / 1000)
    let total = 0
    for (let second = current - window; second < current; second++) {
      const slot = ((second % RATE_BUCKETS) + RATE_BUCKETS) % RATE_BUCKETS
      if (this.secondStamps[slot] === second) total += this.secondCounts[slot]!
    }
    return total / window
  }

  health(now: number, windowSeconds: number): VenueHealth {
    return {
      venue: this.venue,
      latency: this.latency.summary(),
      clockOffsetMs: this.clockOffsetMs,
      messages: this.messages,
      messagesPerSecond: this.rate(now, windowSeconds),
      rateWindowSeconds: Math.min(Math.max(1, Math.floor(windowSeconds)), RATE_BUCKETS - 1),
      gaps: this.gaps,
      resyncs: this.resyncs,
      reconnects: this.reconnects,
      errors: this.errors,
      state: this.state,
    }
  }
}
