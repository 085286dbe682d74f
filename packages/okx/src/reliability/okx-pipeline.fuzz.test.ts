import { describe, expect, it } from 'vitest'
import {
  fuzzCases,
  fuzzFrameArbitrary,
  fuzzPipeline,
  venueFrames,
} from '../../../../test-support/reliability/fuzz-frames'
import { reliabilitySeed, reportFigure } from '../../../../test-support/reliability/run-mode'
import { createOkxFrameProcessor } from '../okx-frame-processor'

// The stateful OKX pipeline (decode + book sync by seqId + checksum) under sequences of fuzzed frames.
describe('OKX frame processor under fuzzed frame sequences', () => {
  it('never throws and emits only schema-valid events', { timeout: 900_000 }, () => {
    const cases = Math.max(100, Math.floor(fuzzCases() / 5))
    const tally = fuzzPipeline(
      (emit) => {
        const processor = createOkxFrameProcessor({
          emit,
          contractValueOf: (instId) => (instId.endsWith('-SWAP') ? 0.01 : undefined),
          onResync: () => undefined,
        })
        return { push: (frame) => processor.push(frame, 'spot', 1) }
      },
      fuzzFrameArbitrary(venueFrames('okx')),
      { cases, seed: reliabilitySeed() },
    )
    reportFigure({ suite: 'fuzz-pipeline', venue: 'okx', ...tally })
    expect(tally.cases).toBe(cases)
  })
})
