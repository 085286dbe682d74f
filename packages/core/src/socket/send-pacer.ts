/**
 * Outbound pacing: at most `maxPerSecond` sends in ANY 1 000 ms window. A sliding log of the last
 * `maxPerSecond` send times (a fixed ring, no allocation per send) is used instead of a refilling
 * token bucket, because a full bucket plus a second of refill lets 2× the rate through one window,
 * and venues (Binance: 5 messages/s, pings included) disconnect on exactly that.
 */
export class SendPacer {
  private readonly times: Float64Array
  private next = 0
  private readonly windowMs: number

  constructor(maxPerSecond: number, windowMs = 1000) {
    this.times = new Float64Array(Math.max(1, Math.floor(maxPerSecond))).fill(Number.NEGATIVE_INFINITY)
    this.windowMs = windowMs
  }

  /** Milliseconds to wait before the next send is allowed (0 = now). */
  waitMs(now: number): number {
    const oldest = this.times[this.next] ?? Number.NEGATIVE_INFINITY
    const wait = oldest + this.windowMs - now
    return Math.max(wait, 0)
  }

  /** Records a send at `now`; call only when `waitMs(now) === 0`. */
  record(now: number): void {
    this.times[this.next] = now
    this.next = (this.next + 1) % this.times.length
  }
}
