import type { BookLevel } from '../events'

export type BookSide = 'bid' | 'ask'

/**
 * A price level update as received: price and size are the venue's strings, kept verbatim so a
 * checksum can be computed from them (OKX rule). Size "0" (or any zero) deletes the level.
 */
export type RawLevel = readonly [price: string, size: string]

/** The result of checking an update against the book's sequence: apply it, skip it (stale) or resync. */
export type SequenceVerdict = 'apply' | 'skip' | 'gap'

/**
 * A venue's sequence rule: given the book's current sequence and an update's ids, whether the update
 * applies. Each venue supplies its own (Binance U/u, Bybit u, OKX seqId/prevSeqId).
 */
export interface SequenceRule<Update> {
  check(bookSequence: number | null, update: Update): SequenceVerdict
  /** The book's sequence after the update is applied. */
  next(update: Update): number
}

export interface OrderBookOptions {
  /** Levels kept per side; deeper levels are dropped after each change. Default: unlimited. */
  maxDepth?: number
}

/** The read side of an order book: what aggregator and consumers need. */
export interface OrderBookView {
  readonly sequence: number | null
  /** Levels on each side. */
  readonly bidCount: number
  readonly askCount: number
  bestBid(): BookLevel | null
  bestAsk(): BookLevel | null
  /**
   * Top `depth` levels per side, best first, as fresh arrays. The `[price, size]` tuples may be shared
   * with earlier results (a level's tuple is reused until its size changes): never mutate them.
   */
  top(depth: number): { bids: BookLevel[]; asks: BookLevel[] }
  /** True when best bid >= best ask. */
  isCrossed(): boolean
}
