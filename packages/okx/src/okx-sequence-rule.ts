import type { SequenceRule } from '@tickmesh/core'
import type { OkxBookUpdate } from './decode/parse-okx-book'

/**
 * OKX `books` rule: an update applies when its `prevSeqId` equals the book's `seqId` — which also
 * covers heartbeats (`prevSeqId == seqId`, no levels) and maintenance resets (`seqId < prevSeqId`).
 * An update the book already has (same `seqId`) is skipped; anything else is a gap.
 */
export const okxSequenceRule: SequenceRule<OkxBookUpdate> = {
  check(bookSequence, update) {
    if (bookSequence === null || update.seqId === null || update.prevSeqId === null) return 'gap'
    if (update.prevSeqId === bookSequence) return 'apply'
    if (update.seqId === bookSequence) return 'skip'
    return 'gap'
  },
  next(update) {
    return update.seqId ?? 0
  },
}
