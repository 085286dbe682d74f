import type { VenueId } from '@tickmesh/core'
import type { SymbolState, VenueQuote } from './symbol-state'
import type { BookSideLevels } from './venue-book'

/** A price level of the consolidated book, tagged with the venue that shows it. */
export interface ConsolidatedLevel {
  price: number
  size: number
  venue: VenueId
}

export interface ConsolidatedBook {
  symbol: string
  /** Best first; equal prices from several venues are separate levels (larger size first). */
  bids: ConsolidatedLevel[]
  asks: ConsolidatedLevel[]
  /** Venues that contributed, and venues left out as stale. */
  venues: VenueId[]
  stale: VenueId[]
  asOf: number
}

/**
 * The top `depth` levels per side merged across fresh venues. A venue with an L2 book contributes its
 * levels; one with only a top-of-book quote contributes that single level. Query-time: allocates.
 */
export function buildConsolidatedBook(
  state: SymbolState,
  depth: number,
  now: number,
  staleAfterMs: Float64Array,
): ConsolidatedBook {
  const fresh: VenueQuote[] = []
  const stale: VenueId[] = []
  for (const quote of state.quotes) {
    const hasBook = quote.book !== null && (quote.book.bids.count > 0 || quote.book.asks.count > 0)
    if (!hasBook && !quote.hasBid() && !quote.hasAsk()) continue
    if (now - quote.updatedAt > staleAfterMs[quote.index]!) stale.push(quote.venue)
    else fresh.push(quote)
  }
  return {
    symbol: state.symbol,
    bids: mergeSide(fresh, depth, true),
    asks: mergeSide(fresh, depth, false),
    venues: fresh.map((quote) => quote.venue),
    stale,
    asOf: now,
  }
}

function mergeSide(quotes: readonly VenueQuote[], depth: number, bids: boolean): ConsolidatedLevel[] {
  const levels: ConsolidatedLevel[] = []
  for (const quote of quotes) {
    const side: BookSideLevels | undefined = quote.book
      ? bids
        ? quote.book.bids
        : quote.book.asks
      : undefined
    if (side && side.count > 0) {
      const count = Math.min(side.count, depth)
      for (let i = 0; i < count; i++) {
        levels.push({ price: side.prices[i]!, size: side.sizes[i]!, venue: quote.venue })
      }
    } else if (bids ? quote.hasBid() : quote.hasAsk()) {
      const size = bids ? quote.bidSize : quote.askSize
      levels.push({
        price: bids ? quote.bid : quote.ask,
        size: Number.isFinite(size) ? size : 0,
        venue: quote.venue,
      })
    }
  }
  levels.sort((a, b) =>
    a.price === b.price ? b.size - a.size : bids ? b.price - a.price : a.price - b.price,
  )
  if (levels.length > depth) levels.length = depth
  return levels
}
