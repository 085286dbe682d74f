import type { Market, VenueId } from '@tickmesh/core'
import type { VenueHistory } from './history'
import type { VenueBook } from './venue-book'
import { VENUE_COUNT, venueAt } from './venue-index'

/** One venue's latest quote for one symbol group; mutated in place, never reallocated. */
export class VenueQuote {
  readonly venue: VenueId
  /** The venue's unified symbol feeding this slot (`BTC/USD` when merged into `BTC/USDT`). */
  sourceSymbol: string | null = null
  sourceQuote = ''
  sourceMarket: Market | null = null
  factor = 1
  /** Converted into the group quote; NaN when absent or dropped. */
  bid = Number.NaN
  bidSize = Number.NaN
  ask = Number.NaN
  askSize = Number.NaN
  /** Local receive time of the last top-of-book update (ms). */
  updatedAt = Number.NEGATIVE_INFINITY
  /** L2 book, allocated on the venue's first book event for this symbol. */
  book: VenueBook | null = null
  /** Mid and trade history, allocated on first use. */
  history: VenueHistory | null = null

  constructor(
    readonly index: number,
    /** The symbol group this slot belongs to. */
    readonly owner: SymbolState,
  ) {
    this.venue = venueAt(index)
  }

  hasBid(): boolean {
    return !Number.isNaN(this.bid)
  }

  hasAsk(): boolean {
    return !Number.isNaN(this.ask)
  }

  /** Forget the quote at once (disconnect, resync): a dropped venue must never be traded against. */
  drop(): void {
    this.bid = Number.NaN
    this.bidSize = Number.NaN
    this.ask = Number.NaN
    this.askSize = Number.NaN
    this.updatedAt = Number.NEGATIVE_INFINITY
    this.book?.clear()
  }
}

/** Everything the view keeps for one symbol group, preallocated per venue. */
export class SymbolState {
  readonly quotes: VenueQuote[] = []
  /** Index of the venue with the best fresh bid/ask after the last update, -1 when none. */
  bestBidIndex = -1
  bestAskIndex = -1
  /** Last time any venue's quote changed (ms). */
  updatedAt = Number.NEGATIVE_INFINITY

  constructor(readonly symbol: string) {
    for (let i = 0; i < VENUE_COUNT; i++) this.quotes.push(new VenueQuote(i, this))
  }
}
