import { expect } from 'vitest'
import type { ChaosResult, ChaosVenueSpec } from './chaos-run'

/** What every chaos run must show; `tradesComplete` when the venue backfills missed trades. */
export function expectChaosHeld(result: ChaosResult, spec: ChaosVenueSpec, tradesComplete: boolean): void {
  // Each failure names the venue and the run's figures, so a CI log alone explains it.
  const context = `${spec.venue} chaos (seed ${result.seed}): ${JSON.stringify({
    faults: result.faults,
    worstStallDetectMs: result.worstStallDetectMs,
    stallDetections: result.stallDetections,
    maxConnectionsInWindow: result.maxConnectionsInWindow,
    busiestWindowFaults: result.busiestWindowFaults,
    trades: result.trades,
  })}`
  expect(result.schemaViolations, context).toEqual([])
  expect(result.unrecovered, context).toEqual([])
  for (const [kind, figures] of Object.entries(result.faults)) {
    expect(figures.recovered, `${kind}: ${context}`).toBe(figures.injected)
  }
  // Each stall is found within the silence limit plus 1 s, plus the scheduler lateness seen while
  // waiting (twice: the ping and the pong timer can each be late by it on a loaded machine).
  if (result.faults.stall) {
    expect(result.stallDetections.length, context).toBeGreaterThan(0)
    for (const stall of result.stallDetections)
      expect(stall.detectMs, context).toBeLessThanOrEqual(spec.stallLimitMs + 1_000 + 2 * stall.lagMs)
  }
  expect(result.maxConnectionsInWindow, context).toBeLessThanOrEqual(spec.connectionLimit.count)
  expect(result.trades.duplicates, context).toBe(0)
  expect(result.trades.outOfOrder, context).toBe(0)
  if (tradesComplete) expect(result.trades.lost, context).toBe(0)
}
