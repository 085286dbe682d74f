import { expect } from 'vitest'
import type { ChaosResult, ChaosVenueSpec } from './chaos-run'

/** What every chaos run must show; `tradesComplete` when the venue backfills missed trades. */
export function expectChaosHeld(result: ChaosResult, spec: ChaosVenueSpec, tradesComplete: boolean): void {
  expect(result.schemaViolations).toEqual([])
  expect(result.unrecovered).toEqual([])
  for (const [kind, figures] of Object.entries(result.faults))
    expect(figures.recovered, kind).toBe(figures.injected)
  if (result.faults.stall) expect(result.worstStallDetectMs).toBeLessThanOrEqual(spec.stallLimitMs + 1_000)
  expect(result.maxConnectionsInWindow).toBeLessThanOrEqual(spec.connectionLimit.count)
  expect(result.trades.duplicates).toBe(0)
  expect(result.trades.outOfOrder).toBe(0)
  if (tradesComplete) expect(result.trades.lost).toBe(0)
}
