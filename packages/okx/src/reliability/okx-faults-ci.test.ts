import { describe, it } from 'vitest'
import { expectChaosHeld } from '../../../../test-support/reliability/chaos-assertions'
import { runChaos, summarizeChaos } from '../../../../test-support/reliability/chaos-run'
import { reliabilitySeed, reportFigure } from '../../../../test-support/reliability/run-mode'
import { okxChaosSpec } from './okx-chaos-spec'

// Short chaos form for every change: each fault kind once at a random moment. The long form
// (`pnpm test:chaos`, okx-faults.chaos.test.ts) injects each kind many times.
describe('okx under chaos (short form)', () => {
  it('recovers from every fault kind: book equals the true book, subscriptions resume, limits kept', {
    timeout: 240_000,
  }, async () => {
    const spec = okxChaosSpec
    const result = await runChaos(spec, { rounds: spec.faultKinds.length, seed: reliabilitySeed() })
    reportFigure({ ...summarizeChaos(result), form: 'short' })
    expectChaosHeld(result, spec, false)
  })
})
