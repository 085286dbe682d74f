import type { Market } from '@tickmesh/core'
import { describe, expect, it } from 'vitest'
import {
  fuzzCases,
  fuzzDecoder,
  fuzzFrameArbitrary,
  venueFrames,
} from '../../../../test-support/reliability/fuzz-frames'
import { reliabilitySeed, reportFigure } from '../../../../test-support/reliability/run-mode'
import { decodeCoinbase } from '../decode/decode-coinbase'

// Fuzz of the Coinbase decoder: mutated real frames, random JSON and text. Never a throw, and every
// event it emits passes the zod schema. 3 000 cases per market here; 100 000 with TICKMESH_FULL=1.

const MARKETS: readonly Market[] = ['spot']

describe('decodeCoinbase under fuzzed frames', () => {
  it('never throws and emits only schema-valid events', { timeout: 900_000 }, () => {
    const frames = venueFrames('coinbase')
    expect(frames.length).toBeGreaterThan(10)
    const seed = reliabilitySeed()
    for (const [index, market] of MARKETS.entries()) {
      const context = { market, receivedAt: 1 }
      const cases = fuzzCases()
      const startedAt = performance.now()
      const tally = fuzzDecoder((frame) => decodeCoinbase(frame, context), fuzzFrameArbitrary(frames), {
        cases,
        seed: seed + index,
      })
      reportFigure({
        suite: 'fuzz',
        venue: 'coinbase',
        market,
        cases: tally.cases,
        events: tally.events,
        errorEvents: tally.errorEvents,
        byKind: tally.byKind,
        seconds: Math.round((performance.now() - startedAt) / 100) / 10,
      })
      expect(tally.cases).toBe(cases)
      // The fuzz reached the data paths, not only the invalid-JSON path.
      expect(Object.keys(tally.byKind).filter((kind) => kind !== 'error').length).toBeGreaterThan(0)
    }
  })
})
