// Inbound rate limits (Binance 5 messages/s per connection, Coinbase inbound rate, …) as a token bucket:
// `capacity` messages at once, refilled continuously at `refillPerSecond`.

export interface TokenBucketOptions {
  capacity: number
  refillPerSecond: number
  /** Clock in ms; inject one in tests. Default `performance.now()`. */
  now?: () => number
}

export class TokenBucket {
  private tokens: number
  private last: number
  private readonly capacity: number
  private readonly refillPerMs: number
  private readonly now: () => number

  constructor(options: TokenBucketOptions) {
    this.capacity = options.capacity
    this.refillPerMs = options.refillPerSecond / 1000
    this.now = options.now ?? (() => performance.now())
    this.tokens = options.capacity
    this.last = this.now()
  }

  /** Takes `count` tokens; false (and nothing taken) when the bucket does not hold that many. */
  take(count = 1): boolean {
    this.refill()
    if (this.tokens < count) return false
    this.tokens -= count
    return true
  }

  /** Tokens available right now. */
  get available(): number {
    this.refill()
    return this.tokens
  }

  private refill(): void {
    const at = this.now()
    const elapsed = at - this.last
    this.last = at
    if (elapsed > 0) this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.refillPerMs)
  }
}
