import type { SequenceRule, SequenceVerdict } from '@tickmesh/core'
import type { BinanceDepthUpdate } from './decode/parse-binance-depth'

/**
 * Spot `depthUpdate` rule ("How to manage a local order book correctly"): an event whose `u` is at or
 * below the book's id is stale; one whose `U` is beyond the book's id + 1 means events were missed.
 * The first event after a snapshot must straddle `lastUpdateId + 1` (U ≤ id + 1 ≤ u), which the same
 * two checks enforce.
 */
export const binanceSpotSequenceRule: SequenceRule<BinanceDepthUpdate> = {
  check(bookSequence: number | null, update: BinanceDepthUpdate): SequenceVerdict {
    if (bookSequence === null) return 'gap'
    if (update.finalUpdateId <= bookSequence) return 'skip'
    if (update.firstUpdateId > bookSequence + 1) return 'gap'
    return 'apply'
  },
  next(update: BinanceDepthUpdate): number {
    return update.finalUpdateId
  },
}

/**
 * USDⓈ-M futures rule: drop events with `u` below the snapshot's `lastUpdateId`; the first applied event
 * must have `U ≤ lastUpdateId + 1` and `u ≥ lastUpdateId`; from then on each event's `pu` must equal the
 * previous event's `u` (futures ids are not contiguous, so `U = u + 1` cannot be checked). One
 * instance per book: it remembers whether the chain has started since the last snapshot.
 */
export class BinanceFuturesSequenceRule implements SequenceRule<BinanceDepthUpdate> {
  private chained = false

  /** Call before loading a snapshot: the next applied event is the first of a new chain. */
  restart(): void {
    this.chained = false
  }

  check(bookSequence: number | null, update: BinanceDepthUpdate): SequenceVerdict {
    if (bookSequence === null) return 'gap'
    if (update.finalUpdateId < bookSequence) return 'skip'
    if (!this.chained) {
      return update.firstUpdateId <= bookSequence + 1 ? 'apply' : 'gap'
    }
    if (update.previousFinalUpdateId === bookSequence) return 'apply'
    // A repeat of the event just applied is stale, not a gap.
    if (update.finalUpdateId === bookSequence) return 'skip'
    return 'gap'
  }

  next(update: BinanceDepthUpdate): number {
    this.chained = true
    return update.finalUpdateId
  }
}
