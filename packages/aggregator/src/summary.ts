import type { VenueId } from '@tickmesh/core'
import type { ConsolidatedBbo } from './consolidated-bbo'
import type { SymbolState } from './symbol-state'

/** One venue's line in a symbol summary. */
export interface VenueSummaryLine {
  venue: VenueId
  /** The venue's own symbol (differs from the summary's when quotes were merged). */
  sourceSymbol: string
  /** The venue's mid `(bid + ask) / 2` in the group quote. */
  mid: number
  /** `(mid - consolidatedMid) / consolidatedMid` in basis points. */
  deviationFromConsolidatedMidBps: number | null
}

/** Cross-venue picture of one symbol from fresh two-sided quotes. */
export interface SymbolSummary {
  symbol: string
  mergedQuotes: string[]
  /** Venues with a fresh two-sided quote. */
  venueCount: number
  minMid: number | null
  maxMid: number | null
  meanMid: number | null
  /** `maxMid - minMid`. */
  midRange: number | null
  /** `midRange / meanMid × 100`. */
  midRangePctOfMean: number | null
  /** Mid of the consolidated best bid and best ask. */
  consolidatedMid: number | null
  venues: VenueSummaryLine[]
  stale: VenueId[]
  asOf: number
}

/** Builds the summary from a fresh consolidated BBO snapshot (query time, allocates). */
export function buildSummary(
  state: SymbolState,
  bbo: ConsolidatedBbo,
  now: number,
  staleAfterMs: Float64Array,
): SymbolSummary {
  const venues: VenueSummaryLine[] = []
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  let sum = 0
  for (const quote of state.quotes) {
    if (now - quote.updatedAt > staleAfterMs[quote.index]!) continue
    if (!quote.hasBid() || !quote.hasAsk()) continue
    const mid = (quote.bid + quote.ask) / 2
    if (mid < min) min = mid
    if (mid > max) max = mid
    sum += mid
    venues.push({
      venue: quote.venue,
      sourceSymbol: quote.sourceSymbol ?? state.symbol,
      mid,
      deviationFromConsolidatedMidBps: bbo.mid ? ((mid - bbo.mid) / bbo.mid) * 10_000 : null,
    })
  }
  const count = venues.length
  const mean = count > 0 ? sum / count : null
  const range = count > 0 ? max - min : null
  return {
    symbol: state.symbol,
    mergedQuotes: bbo.mergedQuotes,
    venueCount: count,
    minMid: count > 0 ? min : null,
    maxMid: count > 0 ? max : null,
    meanMid: mean,
    midRange: range,
    midRangePctOfMean: mean && range !== null ? (range / mean) * 100 : null,
    consolidatedMid: bbo.mid,
    venues,
    stale: bbo.stale,
    asOf: now,
  }
}
