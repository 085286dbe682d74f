/**
 * During a replay, "now" is the recording's time: the adapters stamp some events with `nowMs()`
 * (`performance.timeOrigin + performance.now()`), e.g. a book built from a REST snapshot carries the
 * time the response arrived. Pointing `performance.now` at the replay cursor makes those events carry
 * the recorded times, so a replay reproduces the live events exactly. Restored by `restore()`.
 */
export class ReplayClock {
  /** The real clock, for pacing. */
  readonly realNow: () => number
  private current = Number.NaN
  private installed = false
  private readonly original: () => number

  constructor() {
    this.original = performance.now
    this.realNow = this.original.bind(performance)
  }

  install(): void {
    if (this.installed) return
    this.installed = true
    const realNow = this.realNow
    performance.now = () => (Number.isNaN(this.current) ? realNow() : this.current - performance.timeOrigin)
  }

  /** Sets "now" to a recorded receive time (ms since the epoch). */
  set(epochMs: number): void {
    this.current = epochMs
  }

  restore(): void {
    if (!this.installed) return
    this.installed = false
    performance.now = this.original
  }
}
