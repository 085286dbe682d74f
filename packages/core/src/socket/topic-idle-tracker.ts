import type { IdleTimeoutOptions } from './socket-types'

export const DEFAULT_IDLE_MIN_MS = 5_000
export const DEFAULT_IDLE_MAX_MS = 60_000
export const DEFAULT_IDLE_MULTIPLIER = 8
/** Gaps needed before a topic's learned threshold is trusted; until then only `maxMs` applies. */
export const IDLE_WARMUP_GAPS = 3

interface TopicStats {
  lastAt: number
  meanGap: number
  devGap: number
  gaps: number
  /** The next gap spans a reconnect (subscribe latency), so it is not learned. */
  skipNextGap: boolean
}

export interface StaleTopic {
  topic: string
  silentMs: number
  thresholdMs: number
}

/**
 * Learns each topic's normal inter-arrival gap and flags a topic whose silence is abnormal.
 *
 * Rule: per topic, an EWMA of the gap (α = 1/8) and of its absolute deviation (β = 1/4), as TCP does
 * for RTT. A topic is stale once silent for
 *   clamp(mean + multiplier × max(dev, mean / 4), minMs, maxMs)
 * The `mean / 4` floor keeps a perfectly regular topic (deviation → 0) from alarming on a slightly
 * late message. Before IDLE_WARMUP_GAPS gaps have been seen, the threshold is `maxMs`.
 */
export class TopicIdleTracker {
  private readonly topics = new Map<string, TopicStats>()
  readonly minMs: number
  readonly maxMs: number
  readonly multiplier: number

  constructor(options: IdleTimeoutOptions = {}) {
    this.minMs = options.minMs ?? DEFAULT_IDLE_MIN_MS
    this.maxMs = Math.max(options.maxMs ?? DEFAULT_IDLE_MAX_MS, this.minMs)
    this.multiplier = options.multiplier ?? DEFAULT_IDLE_MULTIPLIER
  }

  get size(): number {
    return this.topics.size
  }

  watch(topic: string, now: number): void {
    if (this.topics.has(topic)) return
    this.topics.set(topic, { lastAt: now, meanGap: 0, devGap: 0, gaps: 0, skipNextGap: true })
  }

  unwatch(topic: string): void {
    this.topics.delete(topic)
  }

  has(topic: string): boolean {
    return this.topics.has(topic)
  }

  /** Records a message; unwatched topics are ignored (cheap: one map lookup). */
  touch(topic: string, receivedAt: number): void {
    const stats = this.topics.get(topic)
    if (stats === undefined) return
    const gap = receivedAt - stats.lastAt
    stats.lastAt = receivedAt
    if (stats.skipNextGap) {
      stats.skipNextGap = false
      return
    }
    if (gap < 0) return
    if (stats.gaps === 0) {
      stats.meanGap = gap
      stats.devGap = gap / 2
    } else {
      const error = gap - stats.meanGap
      stats.meanGap += error / 8
      stats.devGap += ((error < 0 ? -error : error) - stats.devGap) / 4
    }
    stats.gaps++
  }

  /** Restarts every topic's silence clock (after a reconnect), keeping what was learned. */
  restart(now: number): void {
    for (const stats of this.topics.values()) {
      stats.lastAt = now
      stats.skipNextGap = true
    }
  }

  thresholdMs(topic: string): number {
    const stats = this.topics.get(topic)
    if (stats === undefined || stats.gaps < IDLE_WARMUP_GAPS) return this.maxMs
    return thresholdOf(stats.meanGap, stats.devGap, this)
  }

  /** The most overdue stale topic, or null when every topic is within its threshold. */
  findStale(now: number): StaleTopic | null {
    let worst: StaleTopic | null = null
    for (const [topic, stats] of this.topics) {
      const threshold =
        stats.gaps < IDLE_WARMUP_GAPS ? this.maxMs : thresholdOf(stats.meanGap, stats.devGap, this)
      const silent = now - stats.lastAt
      if (silent > threshold && (worst === null || silent - threshold > worst.silentMs - worst.thresholdMs)) {
        worst = { topic, silentMs: silent, thresholdMs: threshold }
      }
    }
    return worst
  }

  clear(): void {
    this.topics.clear()
  }
}

function thresholdOf(
  mean: number,
  dev: number,
  limits: { minMs: number; maxMs: number; multiplier: number },
): number {
  const spread = Math.max(dev, mean / 4)
  const raw = mean + limits.multiplier * spread
  return raw < limits.minMs ? limits.minMs : Math.min(raw, limits.maxMs)
}
