import type { BackoffOptions } from './socket-types'

export const DEFAULT_BASE_DELAY_MS = 500
export const DEFAULT_MAX_DELAY_MS = 30_000
export const DEFAULT_STABLE_AFTER_MS = 30_000

/**
 * Delay before reconnect attempt `attempt` (1-based), exponential with FULL jitter:
 * `random() × min(maxDelayMs, baseDelayMs × 2^(attempt − 1))`. Full jitter spreads a herd of clients
 * that lost the same venue at the same moment across the whole window instead of in lock-step.
 * A custom `retryDelayMs` replaces the policy. `random` is injectable so tests can seed it.
 */
export function backoffDelayMs(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  if (options.retryDelayMs !== undefined) {
    const custom = options.retryDelayMs(attempt)
    return Number.isFinite(custom) && custom > 0 ? custom : 0
  }
  const base = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS
  const cap = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS
  // The exponent is clamped so 2^n never overflows into Infinity on a long outage.
  const exponent = Math.min(Math.max(attempt - 1, 0), 30)
  const ceiling = Math.min(cap, base * 2 ** exponent)
  return Math.floor(random() * ceiling)
}
