// @tickmesh/aggregator public API.

export { createMarketView } from './market-view'
export type { MarketView } from './market-view'
export { DEFAULT_STALE_AFTER_MS, DEFAULT_TAKER_FEES } from './market-view-options'
export type { MarketViewOptions } from './market-view-options'
export type { ConsolidatedBbo } from './consolidated-bbo'
export type { ConsolidatedBook, ConsolidatedLevel } from './consolidated-book'
export type {
  ArbitrageOpportunity,
  OpportunityCloseReason,
  OpportunityEvent,
} from './arbitrage-detector'
export type { SymbolSummary, VenueSummaryLine } from './summary'
export type { WindowStats } from './history'
export type { LatencySummary } from './latency-histogram'
export { LatencyHistogram } from './latency-histogram'
export type { VenueHealth } from './venue-stats'
export type { QuoteEquivalence } from './quote-equivalence'
export type { PerVenue } from './venue-index'
export { createMultiVenueClient } from './multi-venue-client'
export type {
  MultiVenueClient,
  MultiVenueClientOptions,
  SubscriptionFailure,
} from './multi-venue-client'
export { createVenueAdapters } from './venue-factories'
export type { VenueSettingsMap } from './venue-factories'
