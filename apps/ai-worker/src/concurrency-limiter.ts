import { ConfigError, TickmeshError } from '@tickmesh/core'

/** At most `limit` tasks run at once; the rest wait in FIFO order (bounded by `maxQueued`). */
export class ConcurrencyLimiter {
  private active = 0
  private readonly waiting: Array<() => void> = []

  constructor(
    readonly limit: number,
    readonly maxQueued = 1_000,
  ) {
    if (!(Number.isInteger(limit) && limit >= 1)) {
      throw new ConfigError('The concurrency limit must be a positive integer.', { details: { limit } })
    }
  }

  get running(): number {
    return this.active
  }

  get queued(): number {
    return this.waiting.length
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      if (this.waiting.length >= this.maxQueued) {
        throw new TickmeshError('Too many model calls are queued.', {
          details: { queued: this.waiting.length, limit: this.limit },
          hint: 'Raise the concurrency limit or trigger analyses less often.',
          isRetryable: true,
        })
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    } else {
      this.active++
    }
    try {
      return await task()
    } finally {
      const next = this.waiting.shift()
      // The slot passes straight to the next waiter, so `active` stays correct without a race.
      if (next !== undefined) next()
      else this.active--
    }
  }
}
