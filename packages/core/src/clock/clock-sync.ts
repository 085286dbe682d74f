import { ConfigError, ConnectionTimeoutError, TickmeshError } from '../errors'
import { nowMs } from '../events'

export interface ClockSyncOptions {
  /** Asks the venue for its time in ms since the epoch (e.g. Binance `GET /api/v3/time`). */
  fetchServerTime: () => Promise<number>
  /** Re-sync period once `start()`ed. Default 300 000 ms (5 min). */
  intervalMs?: number
  /** Requests per sync; the one with the lowest round trip wins. Default 3. */
  samples?: number
  /** A request that takes longer counts as failed. Default 5 000 ms. */
  timeoutMs?: number
  /** Local clock in ms (injectable for tests). Default `performance.timeOrigin + performance.now()`. */
  now?: () => number
  /** Failures of periodic syncs (a manual `sync()` rejects instead). */
  onError?: (error: TickmeshError) => void
}

export interface ClockSyncSample {
  offsetMs: number
  rttMs: number
  /** Local time the sample was taken. */
  at: number
}

export interface ClockSync {
  /** Server time minus local time, in ms (0 before the first sync). Add it to local time to get server time. */
  readonly offsetMs: number
  /** Round trip of the sample behind `offsetMs`; null before the first sync. */
  readonly rttMs: number | null
  /** Local time of the last successful sync; null before it. */
  readonly syncedAt: number | null
  /** The venue's current time estimate: local time plus `offsetMs`. */
  serverNow(): number
  /** Measures now. Concurrent calls share one measurement. Rejects when every sample failed. */
  sync(): Promise<ClockSyncSample>
  /** Syncs now and then every `intervalMs` (the timer does not keep the process alive). */
  start(): void
  /** Clears the timer; idempotent. */
  stop(): void
}

/**
 * Estimates the offset between the local clock and a venue's: the server time is taken to be read
 * at the midpoint of the request (`serverTime - (t0 + t1) / 2`), and of a few samples the one with the
 * lowest round trip is kept, since it bounds the midpoint error best (at most rtt / 2).
 */
export function createClockSync(options: ClockSyncOptions): ClockSync {
  return new PeriodicClockSync(options)
}

class PeriodicClockSync implements ClockSync {
  offsetMs = 0
  rttMs: number | null = null
  syncedAt: number | null = null
  private readonly fetchServerTime: () => Promise<number>
  private readonly intervalMs: number
  private readonly samples: number
  private readonly timeoutMs: number
  private readonly now: () => number
  private readonly onError: ((error: TickmeshError) => void) | undefined
  private timer: ReturnType<typeof setInterval> | null = null
  private inFlight: Promise<ClockSyncSample> | null = null

  constructor(options: ClockSyncOptions) {
    this.fetchServerTime = options.fetchServerTime
    this.intervalMs = positive('intervalMs', options.intervalMs ?? 300_000)
    this.samples = positive('samples', options.samples ?? 3)
    this.timeoutMs = positive('timeoutMs', options.timeoutMs ?? 5_000)
    this.now = options.now ?? nowMs
    this.onError = options.onError
  }

  serverNow(): number {
    return this.now() + this.offsetMs
  }

  sync(): Promise<ClockSyncSample> {
    if (this.inFlight === null) {
      this.inFlight = this.measure().finally(() => {
        this.inFlight = null
      })
    }
    return this.inFlight
  }

  start(): void {
    if (this.timer !== null) return
    this.timer = setInterval(() => this.syncInBackground(), this.intervalMs)
    this.timer.unref?.()
    this.syncInBackground()
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
  }

  private syncInBackground(): void {
    this.sync().catch((error: unknown) => {
      if (error instanceof TickmeshError) this.onError?.(error)
    })
  }

  private async measure(): Promise<ClockSyncSample> {
    let best: ClockSyncSample | null = null
    let lastError: unknown = null
    for (let i = 0; i < this.samples; i++) {
      try {
        const sample = await this.sample()
        if (best === null || sample.rttMs < best.rttMs) best = sample
      } catch (error) {
        lastError = error
      }
    }
    if (best === null) {
      throw lastError instanceof TickmeshError
        ? lastError
        : new TickmeshError('Could not read the venue server time for clock sync.', {
            hint: 'Check that the REST endpoint is reachable; the previous clock offset stays in use.',
            isRetryable: true,
            cause: lastError,
            details: {
              samples: this.samples,
              reason: lastError instanceof Error ? lastError.message : lastError,
            },
          })
    }
    this.offsetMs = best.offsetMs
    this.rttMs = best.rttMs
    this.syncedAt = best.at
    return best
  }

  private async sample(): Promise<ClockSyncSample> {
    const t0 = this.now()
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ConnectionTimeoutError('the venue server-time endpoint', this.timeoutMs)),
        this.timeoutMs,
      )
    })
    let serverTime: number
    try {
      serverTime = await Promise.race([this.fetchServerTime(), timeout])
    } finally {
      clearTimeout(timer)
    }
    const t1 = this.now()
    if (typeof serverTime !== 'number' || !Number.isFinite(serverTime)) {
      throw new TickmeshError(`The venue server time ${String(serverTime)} is not a number.`, {
        hint: 'fetchServerTime must resolve to ms since the epoch.',
        details: { serverTime },
      })
    }
    return { offsetMs: serverTime - (t0 + t1) / 2, rttMs: t1 - t0, at: t1 }
  }
}

function positive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new ConfigError(`Clock sync ${name} must be a positive number, got ${String(value)}.`, {
      hint: `Pass ${name} greater than 0 or leave it out for the default.`,
      details: { [name]: value },
    })
  }
  return value
}
