import { describe, expect, it } from 'vitest'
import { backoffDelayMs } from './backoff'
import { seededRandom } from './socket-test-helpers'

describe('backoffDelayMs', () => {
  it('grows exponentially, stays within [0, min(cap, base·2^(n−1))) and is jittered', () => {
    const random = seededRandom(42)
    const options = { baseDelayMs: 100, maxDelayMs: 5_000 }
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(5_000, 100 * 2 ** (attempt - 1))
      const delays = Array.from({ length: 200 }, () => backoffDelayMs(attempt, options, random))
      for (const delay of delays) {
        expect(delay).toBeGreaterThanOrEqual(0)
        expect(delay).toBeLessThan(ceiling)
      }
      // Full jitter: spread over the whole window, not clustered at the ceiling.
      expect(new Set(delays).size).toBeGreaterThan(Math.min(50, ceiling / 2))
      const mean = delays.reduce((sum, delay) => sum + delay, 0) / delays.length
      expect(mean).toBeGreaterThan(ceiling * 0.35)
      expect(mean).toBeLessThan(ceiling * 0.65)
    }
  })

  it('is deterministic for a seeded random and capped on very long outages', () => {
    const first = [1, 2, 3, 4].map((attempt) => backoffDelayMs(attempt, {}, seededRandom(7)))
    const second = [1, 2, 3, 4].map((attempt) => backoffDelayMs(attempt, {}, seededRandom(7)))
    expect(first).toEqual(second)
    expect(backoffDelayMs(10_000, { maxDelayMs: 1_000 }, () => 0.999)).toBe(999)
    expect(backoffDelayMs(1, { baseDelayMs: 500 }, () => 0.5)).toBe(250)
  })

  it('uses a custom retryDelayMs when given, never negative', () => {
    expect(backoffDelayMs(3, { retryDelayMs: (attempt) => attempt * 10 })).toBe(30)
    expect(backoffDelayMs(3, { retryDelayMs: () => -5 })).toBe(0)
    expect(backoffDelayMs(3, { retryDelayMs: () => Number.NaN })).toBe(0)
  })
})
