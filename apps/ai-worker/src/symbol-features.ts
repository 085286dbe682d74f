import type { VenueId } from '@tickmesh/core'

/**
 * What the worker knows about one symbol at one instant, computed locally from the aggregator's view.
 * Every number is null when there is not enough data yet, never a guess.
 */
export interface SymbolFeatures {
  symbol: string
  /** Evaluation time (ms since the epoch). */
  asOf: number
  /** Length of the rolling window the statistics cover (ms). */
  windowMs: number
  /** How much of the window the tracker has actually watched (ms); less than `windowMs` after start. */
  historyMs: number
  /** Consolidated mid across fresh venues. */
  mid: number | null
  /** Price return over the window as a fraction, averaged across venues. */
  return: number | null
  /** Realized volatility over the window (√Σ squared log returns, not annualized), averaged across venues. */
  realizedVolatility: number | null
  /** Latest consolidated mid against the rolling mean of earlier samples, in standard deviations. */
  zScore: number | null
  /** Consolidated mid samples in the window (the z-score needs a baseline). */
  midSamples: number
  /** Cross-venue mid range as basis points of the mean mid. */
  dispersionBps: number | null
  /** Consolidated spread in basis points of the mid. */
  spreadBps: number | null
  /** Current consolidated spread over its rolling mean of positive spreads (2 = twice as wide as usual); null when crossed. */
  spreadRatio: number | null
  /** Base volume traded in the short window, all venues. */
  volume: number
  /** Volume per second in the short window over the same rate across the whole window (3 = three times usual). */
  volumeRatio: number | null
  /** `(buy − sell) / volume` of taker volume in the short window, in [-1, 1]. */
  tradeImbalance: number | null
  /** `(bid size − ask size) / total` over the top consolidated book levels, in [-1, 1]. */
  bookImbalance: number | null
  /** Venues with a fresh quote, and those left out as stale. */
  venues: VenueId[]
  staleVenues: VenueId[]
  /** Feed disruptions in the window: book resyncs, stale or reconnecting venues, trade gaps. */
  disruptions: number
}
