import type { VenueId } from '@tickmesh/core'

// The wire format between `tickmesh serve` and its page. Plain JSON; the page imports these types
// (type-only) so both sides agree at compile time. Numbers that are not known are null, never NaN.

/** One sample of one symbol's charts; `time` is whole UTC seconds (a later sample in the same second replaces it). */
export interface SymbolPoint {
  time: number
  /** Each venue's mid from a fresh two-sided quote, in the group quote currency; null when stale or unseen. */
  mids: Partial<Record<VenueId, number | null>>
  /** Mid of the consolidated best bid and best ask. */
  mid: number | null
  /** Consolidated spread (best ask − best bid) in bps of the mid; negative when crossed. */
  spreadBps: number | null
  /** Each venue's mid minus the consolidated mid, in bps. */
  deviationBps: Partial<Record<VenueId, number | null>>
}

/** The consolidated best bid/ask of one symbol with the venues that hold it. */
export interface BboRow {
  symbol: string
  bid: number | null
  bidSize: number | null
  bidVenue: VenueId | null
  ask: number | null
  askSize: number | null
  askVenue: VenueId | null
  spreadBps: number | null
  crossed: boolean
  /** Venues with a fresh quote / venues whose quote went stale. */
  venues: VenueId[]
  stale: VenueId[]
}

/** One arbitrage opportunity from opened to closed (closedAt null while open). */
export interface OpportunityRow {
  id: string
  symbol: string
  buyVenue: VenueId
  sellVenue: VenueId
  buyPrice: number
  sellPrice: number
  /** Fractions (0.001 = 0.1%) net of both taker fees. */
  netEdge: number
  peakNetEdge: number
  size: number | null
  openedAt: number
  closedAt: number | null
  closeReason: string | null
}

/** A venue's health line. */
export interface VenueHealthRow {
  venue: VenueId
  /** connecting, open, reconnecting, stale, resyncing, closed (the adapter's connection state). */
  state: string
  /** Open and sent something within the stale limit. */
  connected: boolean
  /** No fresh quote for any symbol within the stale limit. */
  stale: boolean
  latencyP50Ms: number | null
  latencyP99Ms: number | null
  messagesPerSecond: number
  reconnects: number
  resyncs: number
  /** ms since the venue's last message of any kind; null before the first. */
  lastMessageAgeMs: number | null
  /** When the connection last went down (epoch ms); null if it never did. */
  lastDisconnectAt: number | null
  reason: string | null
}

/** A connection change worth showing in the event log. */
export interface VenueNotice {
  at: number
  venue: VenueId
  state: string
  reason: string | null
}

/** An AI analysis line (from the in-process worker with --ai). */
export interface AnalysisRow {
  at: number
  symbol: string
  kind: string
  summary: string
}

/** The tables: sent whole with every update (they are small). */
export interface DashboardState {
  now: number
  source: string
  bbo: BboRow[]
  opportunities: OpportunityRow[]
  openedCount: number
  closedCount: number
  /** Net edge an opportunity needs, in bps; null when not known. */
  arbitrageThresholdBps: number | null
  venues: VenueHealthRow[]
  notices: VenueNotice[]
  analyses: AnalysisRow[]
}

/** Sent once on connect: the settings and the whole history so a late or reloaded page shows it at once. */
export interface SnapshotMessage {
  type: 'snapshot'
  symbols: string[]
  venues: VenueId[]
  updateIntervalMs: number
  history: Record<string, SymbolPoint[]>
  state: DashboardState
}

/** Sent at most every `updateIntervalMs`: the newest point of every symbol and the tables. */
export interface UpdateMessage {
  type: 'update'
  points: Record<string, SymbolPoint>
  state: DashboardState
}

export type ServerMessage = SnapshotMessage | UpdateMessage
