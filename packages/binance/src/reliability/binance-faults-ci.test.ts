import { describe, expect, it } from 'vitest'
import { expectChaosHeld } from '../../../../test-support/reliability/chaos-assertions'
import { runChaos, summarizeChaos } from '../../../../test-support/reliability/chaos-run'
import { reliabilitySeed, reportFigure } from '../../../../test-support/reliability/run-mode'
import { runTradeContinuity } from '../../../../test-support/reliability/trade-continuity-run'
import { binanceChaosSpec } from './binance-chaos-spec'

// Short chaos form for every change: each fault kind once at a random moment. The long form
// (`pnpm test:chaos`, binance-faults.chaos.test.ts) injects each kind many times.
describe('binance under chaos (short form)', () => {
  it('recovers from every fault kind: book equals the true book, subscriptions resume, limits kept', {
    timeout: 240_000,
  }, async () => {
    const spec = binanceChaosSpec
    const result = await runChaos(spec, { rounds: spec.faultKinds.length, seed: reliabilitySeed() })
    reportFigure({ ...summarizeChaos(result), form: 'short' })
    expectChaosHeld(result, spec, true)
  })

  it('trades missed during 10 forced reconnects are backfilled: none lost, none twice, in order', {
    timeout: 120_000,
  }, async () => {
    const result = await runTradeContinuity(binanceChaosSpec, { reconnects: 10, seed: reliabilitySeed() })
    reportFigure({ suite: 'continuity', form: 'short', ...result })
    expect(result.reconnects).toBe(10)
    expect(result.schemaViolations).toBe(0)
    expect(result.duplicates).toBe(0)
    expect(result.outOfOrder).toBe(0)
    expect(result.lost).toBe(0)
    expect(result.gapEvents).toBe(0)
  })
})
