import { describe, expect, it } from 'vitest'
import { expectChaosHeld } from '../../../../test-support/reliability/chaos-assertions'
import { runChaos, summarizeChaos } from '../../../../test-support/reliability/chaos-run'
import { isFullRun, reliabilitySeed, reportFigure } from '../../../../test-support/reliability/run-mode'
import { runTradeContinuity } from '../../../../test-support/reliability/trade-continuity-run'
import { coinbaseChaosSpec } from './coinbase-chaos-spec'

// Long chaos form (`pnpm test:chaos`; `pnpm test:reliability` runs it with TICKMESH_FULL=1): every
// fault kind 3 times (10 in a full run) at random moments, and 100 forced reconnects for trades.
const REPEATS = isFullRun() ? 10 : 3

describe('coinbase under chaos (long form)', () => {
  it('recovers from every fault kind, many times', { timeout: 1_800_000 }, async () => {
    const spec = coinbaseChaosSpec
    const result = await runChaos(spec, {
      rounds: spec.faultKinds.length * REPEATS,
      seed: reliabilitySeed() + 1,
    })
    reportFigure({ ...summarizeChaos(result), form: 'long' })
    expectChaosHeld(result, spec, true)
  })

  it('trades missed during 100 forced reconnects: 0 lost within REST reach, none twice, in order', {
    timeout: 900_000,
  }, async () => {
    const result = await runTradeContinuity(coinbaseChaosSpec, {
      reconnects: 100,
      seed: reliabilitySeed() + 2,
    })
    reportFigure({ suite: 'continuity', form: 'long', ...result })
    expect(result.reconnects).toBe(100)
    expect(result.schemaViolations).toBe(0)
    expect(result.duplicates).toBe(0)
    expect(result.outOfOrder).toBe(0)
    expect(result.lost).toBe(0)
  })
})
