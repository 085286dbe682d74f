import type { VenueId } from '@tickmesh/core'
import type { SymbolState, VenueQuote } from './symbol-state'
import { VENUE_COUNT } from './venue-index'

/** The consolidated best bid and offer of one symbol across venues, at one instant. */
export interface ConsolidatedBbo {
  /** The group symbol (`BTC/USDT`; includes `BTC/USD` quotes when `USD=USDT` is configured). */
  symbol: string
  /** Quote currencies whose venues contributed, e.g. `['USDT', 'USD']`; one entry when nothing merged. */
  mergedQuotes: string[]
  bidPrice: number | null
  bidSize: number | null
  bidVenue: VenueId | null
  askPrice: number | null
  askSize: number | null
  askVenue: VenueId | null
  /** `askPrice - bidPrice`; negative when venues cross (see `crossed`). */
  spread: number | null
  /** Spread as basis points of the mid. */
  spreadBps: number | null
  mid: number | null
  /** Best bid at or above best ask: two venues disagree enough to trade against each other. */
  crossed: boolean
  /** Venues with a fresh quote, in venue order. */
  venues: VenueId[]
  /** Venues whose quote was left out because it is older than their staleness limit. */
  stale: VenueId[]
  /** The moment the view was evaluated at (ms). */
  asOf: number
}

export function isFresh(quote: VenueQuote, now: number, staleAfterMs: Float64Array): boolean {
  return now - quote.updatedAt <= staleAfterMs[quote.index]!
}

/**
 * Recomputes the best fresh bid and ask venue of `state` at `clock[0]` in one pass over the venues:
 * O(V), no allocation. Ties go to the larger size, then to the venue listed first.
 */
export function updateBest(state: SymbolState, clock: Float64Array, staleAfterMs: Float64Array): void {
  const now = clock[0]!
  let bestBid = -1
  let bestAsk = -1
  const quotes = state.quotes
  for (let i = 0; i < VENUE_COUNT; i++) {
    const quote = quotes[i]!
    if (now - quote.updatedAt > staleAfterMs[i]!) continue
    if (!Number.isNaN(quote.bid)) {
      if (bestBid < 0) bestBid = i
      else {
        const best = quotes[bestBid]!
        if (quote.bid > best.bid || (quote.bid === best.bid && quote.bidSize > best.bidSize)) bestBid = i
      }
    }
    if (!Number.isNaN(quote.ask)) {
      if (bestAsk < 0) bestAsk = i
      else {
        const best = quotes[bestAsk]!
        if (quote.ask < best.ask || (quote.ask === best.ask && quote.askSize > best.askSize)) bestAsk = i
      }
    }
  }
  state.bestBidIndex = bestBid
  state.bestAskIndex = bestAsk
}

/** A snapshot of the consolidated BBO at `now` (allocates: for queries, not the ingest path). */
export function buildBbo(
  state: SymbolState,
  clock: Float64Array,
  staleAfterMs: Float64Array,
): ConsolidatedBbo {
  updateBest(state, clock, staleAfterMs)
  const now = clock[0]!
  const venues: VenueId[] = []
  const stale: VenueId[] = []
  const mergedQuotes: string[] = []
  for (const quote of state.quotes) {
    if (!quote.hasBid() && !quote.hasAsk()) continue
    if (isFresh(quote, now, staleAfterMs)) {
      venues.push(quote.venue)
      if (quote.sourceQuote && !mergedQuotes.includes(quote.sourceQuote)) mergedQuotes.push(quote.sourceQuote)
    } else stale.push(quote.venue)
  }
  const bid = state.bestBidIndex >= 0 ? state.quotes[state.bestBidIndex]! : null
  const ask = state.bestAskIndex >= 0 ? state.quotes[state.bestAskIndex]! : null
  const bidPrice = bid ? bid.bid : null
  const askPrice = ask ? ask.ask : null
  const both = bidPrice !== null && askPrice !== null
  const mid = both ? (bidPrice + askPrice) / 2 : null
  const spread = both ? askPrice - bidPrice : null
  return {
    symbol: state.symbol,
    mergedQuotes,
    bidPrice,
    bidSize: bid ? finiteOrNull(bid.bidSize) : null,
    bidVenue: bid ? bid.venue : null,
    askPrice,
    askSize: ask ? finiteOrNull(ask.askSize) : null,
    askVenue: ask ? ask.venue : null,
    spread,
    spreadBps: spread !== null && mid ? (spread / mid) * 10_000 : null,
    mid,
    crossed: both && bidPrice >= askPrice,
    venues,
    stale,
    asOf: now,
  }
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null
}
