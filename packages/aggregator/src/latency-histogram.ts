const SUB_BUCKET_BITS = 5
const SUB_BUCKETS = 1 << SUB_BUCKET_BITS
// Microsecond values up to 2^31 - 1 (about 35 minutes) in log-linear buckets: exact below 32 µs,
// then 32 buckets per power of two, so a reported percentile is within ~1.6% of the true value.
const MAX_EXPONENT = 30
const BUCKET_COUNT = (MAX_EXPONENT - SUB_BUCKET_BITS + 2) * SUB_BUCKETS
const MAX_VALUE_US = 2 ** 31 - 1

export interface LatencySummary {
  count: number
  /** Samples below zero after the clock correction (the offset is off by at least that much). */
  negativeCount: number
  /** Milliseconds; null when empty. Percentiles are bucket midpoints (within ~1.6%), min/max exact. */
  min: number | null
  p50: number | null
  p90: number | null
  p99: number | null
  max: number | null
  mean: number | null
}

/** An HDR-style log-bucketed histogram of millisecond latencies with fixed memory. */
export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKET_COUNT)
  private total = 0
  private negative = 0
  private minValue = Number.POSITIVE_INFINITY
  private maxValue = Number.NEGATIVE_INFINITY
  private sum = 0

  get count(): number {
    return this.total
  }

  /** Records one latency in ms. Negative values count as 0 and are reported in `negativeCount`. */
  record(latencyMs: number): void {
    if (Number.isNaN(latencyMs)) return
    if (latencyMs < 0) {
      this.negative++
      latencyMs = 0
    }
    let micros = Math.round(latencyMs * 1000)
    if (micros > MAX_VALUE_US) micros = MAX_VALUE_US
    this.counts[bucketOf(micros)]!++
    this.total++
    this.sum += latencyMs
    if (latencyMs < this.minValue) this.minValue = latencyMs
    if (latencyMs > this.maxValue) this.maxValue = latencyMs
  }

  /** The latency (ms) at or below which `quantile` (0..1) of samples fall; null when empty. */
  percentile(quantile: number): number | null {
    if (this.total === 0) return null
    const rank = Math.max(1, Math.ceil(quantile * this.total))
    let seen = 0
    for (let i = 0; i < BUCKET_COUNT; i++) {
      seen += this.counts[i]!
      if (seen >= rank) {
        const value = bucketMidpoint(i) / 1000
        return Math.min(Math.max(value, this.minValue), this.maxValue)
      }
    }
    return this.maxValue
  }

  summary(): LatencySummary {
    const empty = this.total === 0
    return {
      count: this.total,
      negativeCount: this.negative,
      min: empty ? null : this.minValue,
      p50: this.percentile(0.5),
      p90: this.percentile(0.9),
      p99: this.percentile(0.99),
      max: empty ? null : this.maxValue,
      mean: empty ? null : this.sum / this.total,
    }
  }

  reset(): void {
    this.counts.fill(0)
    this.total = 0
    this.negative = 0
    this.minValue = Number.POSITIVE_INFINITY
    this.maxValue = Number.NEGATIVE_INFINITY
    this.sum = 0
  }
}

function bucketOf(micros: number): number {
  if (micros < SUB_BUCKETS) return micros
  const exponent = 31 - Math.clz32(micros)
  const sub = micros >>> (exponent - SUB_BUCKET_BITS)
  return (exponent - SUB_BUCKET_BITS + 1) * SUB_BUCKETS + (sub - SUB_BUCKETS)
}

function bucketMidpoint(index: number): number {
  if (index < SUB_BUCKETS) return index
  const exponent = Math.floor(index / SUB_BUCKETS) + SUB_BUCKET_BITS - 1
  const sub = (index % SUB_BUCKETS) + SUB_BUCKETS
  const width = 2 ** (exponent - SUB_BUCKET_BITS)
  return sub * width + (width - 1) / 2
}
