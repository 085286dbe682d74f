import { describe, expect, it } from 'vitest'
import {
  fuzzCases,
  fuzzFrameArbitrary,
  fuzzPipeline,
  venueFrames,
} from '../../../../test-support/reliability/fuzz-frames'
import { reliabilitySeed, reportFigure } from '../../../../test-support/reliability/run-mode'
import { createBybitFrameProcessor } from '../bybit-frame-processor'

// The stateful Bybit pipeline (decode + book sync by u, merged tickers) under sequences of fuzzed frames.
describe('Bybit frame processor under fuzzed frame sequences', () => {
  it('never throws and emits only schema-valid events', { timeout: 900_000 }, () => {
    const cases = Math.max(100, Math.floor(fuzzCases() / 5))
    const tally = fuzzPipeline(
      (emit) => {
        const processor = createBybitFrameProcessor({ emit, onResync: () => undefined })
        return { push: (frame) => processor.push(frame, 'linear', 1) }
      },
      fuzzFrameArbitrary(venueFrames('bybit')),
      { cases, seed: reliabilitySeed() },
    )
    reportFigure({ suite: 'fuzz-pipeline', venue: 'bybit', ...tally })
    expect(tally.cases).toBe(cases)
  })
})
