import type { SequenceRule, SequenceVerdict } from '@tickmesh/core'
import type { BybitBookFrame } from './decode/decode-bybit-orderbook'

/**
 * Bybit `orderbook.{depth}` deltas: each carries `u` = previous `u` + 1. An older or equal `u` is a
 * re-send (skip); a jump is a gap (resubscribe the topic for a fresh snapshot). Snapshots, and a
 * delta with `u == 1` (service restart), reset the book before this rule is consulted.
 */
export const bybitSequenceRule: SequenceRule<BybitBookFrame> = {
  check(bookSequence: number | null, update: BybitBookFrame): SequenceVerdict {
    if (bookSequence === null) return 'gap'
    if (update.updateId <= bookSequence) return 'skip'
    return update.updateId === bookSequence + 1 ? 'apply' : 'gap'
  },
  next(update: BybitBookFrame): number {
    return update.updateId
  },
}
