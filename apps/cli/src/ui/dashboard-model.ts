import type { MarketView, OpportunityEvent } from '@tickmesh/aggregator'
import type { MarketEvent, VenueId } from '@tickmesh/core'
import type { VenueConnection } from '../session'

/** One venue's row under a symbol. */
export interface VenueRow {
  venue: VenueId
  /** The venue's own symbol (`BTC/USD` on Coinbase under `BTC/USDT`). */
  sourceSymbol: string
  bid: number | null
  ask: number | null
  last: number | null
  spreadBps: number | null
  /** 24h volume in the base currency. */
  volume24h: number | null
  /** ms since the last quote; null before the first. */
  quoteAgeMs: number | null
  /** receive time minus venue time of the latest event with a venue time. */
  latencyMs: number | null
  stale: boolean
}

export interface ConsolidatedRow {
  bid: number | null
  bidVenue: VenueId | null
  ask: number | null
  askVenue: VenueId | null
  spreadBps: number | null
  crossed: boolean
}

export interface SymbolPanel {
  symbol: string
  rows: VenueRow[]
  consolidated: ConsolidatedRow | null
}

export interface OpportunityRow {
  id: string
  symbol: string
  buyVenue: VenueId
  sellVenue: VenueId
  buyPrice: number
  sellPrice: number
  /** Fractions (0.001 = 0.1%). */
  netEdge: number
  size: number | null
  durationMs: number
}

export interface ClosedOpportunityRow extends OpportunityRow {
  reason: string
  peakNetEdge: number
  closedAt: number
}

export interface VenueStatusRow {
  venue: VenueId
  /** connecting, open, reconnecting, stale, resyncing, closed. */
  state: string
  reconnects: number
  resyncs: number
  /** No fresh quote for any symbol. */
  stale: boolean
  messagesPerSecond: number
  latencyP50Ms: number | null
  /** Why the venue is not connected (the adapter's last status reason or error), else null. */
  reason: string | null
}

/** Everything the dashboard draws; a plain value so the component is a pure function of it. */
export interface DashboardSnapshot {
  source: string
  elapsedMs: number
  symbols: SymbolPanel[]
  opportunities: OpportunityRow[]
  /** The last few closed opportunities, newest first (they often last only seconds). */
  recentlyClosed: ClosedOpportunityRow[]
  /** Opportunities opened since start and how many closed. */
  openedCount: number
  closedCount: number
  venues: VenueStatusRow[]
  warnings: string[]
}

/** Mutable per-row state, updated in place for every event (no allocation on the hot path). */
class RowState {
  bid = Number.NaN
  ask = Number.NaN
  last = Number.NaN
  volume24h = Number.NaN
  quotedAt = Number.NaN
  latencyMs = Number.NaN
  constructor(
    readonly venue: VenueId,
    readonly sourceSymbol: string,
  ) {}
}

const orNull = (value: number): number | null => (Number.isNaN(value) ? null : value)

/**
 * Follows the event stream for the dashboard. `ingest` mutates row state in place as fast as events
 * arrive; `snapshot` (called by the redraw timer, ≤ 10×/s) builds the plain value to draw.
 */
export class DashboardModel {
  openedCount = 0
  closedCount = 0
  private readonly closed: ClosedOpportunityRow[] = []
  private readonly rows = new Map<string, RowState>()
  private readonly panels: { symbol: string; rows: RowState[] }[] = []
  private readonly startedAt: number

  constructor(
    readonly symbols: readonly string[],
    readonly venues: readonly VenueId[],
    /** The symbols each venue was subscribed with, in the order of `symbols`. */
    symbolsByVenue: ReadonlyMap<VenueId, readonly string[]>,
    private readonly staleAfterMs = 5_000,
    now: number = Date.now(),
  ) {
    this.startedAt = now
    symbols.forEach((symbol, index) => {
      const rows: RowState[] = []
      for (const venue of venues) {
        const sourceSymbol = symbolsByVenue.get(venue)?.[index] ?? symbol
        const row = new RowState(venue, sourceSymbol)
        this.rows.set(`${venue}|${sourceSymbol}`, row)
        rows.push(row)
      }
      this.panels.push({ symbol, rows })
    })
  }

  /** Counts opportunity lifecycle events and keeps the last three closed ones. */
  onOpportunity(event: OpportunityEvent): void {
    if (event.type === 'opened') this.openedCount++
    if (event.type !== 'closed') return
    this.closedCount++
    const o = event.opportunity
    this.closed.unshift({
      id: o.id,
      symbol: o.symbol,
      buyVenue: o.buyVenue,
      sellVenue: o.sellVenue,
      buyPrice: o.buyPrice,
      sellPrice: o.sellPrice,
      netEdge: o.netEdge,
      size: o.size,
      durationMs: o.durationMs,
      reason: event.reason,
      peakNetEdge: o.peakNetEdge,
      closedAt: event.closedAt,
    })
    if (this.closed.length > 3) this.closed.pop()
  }

  ingest(event: MarketEvent): void {
    if (event.kind !== 'ticker' && event.kind !== 'bbo' && event.kind !== 'trade') return
    const row = this.rows.get(`${event.venue}|${event.symbol}`)
    if (row === undefined) return
    if (event.exchangeTime !== null) row.latencyMs = event.receivedAt - event.exchangeTime
    if (event.kind === 'ticker') {
      if (event.last !== null) row.last = event.last
      if (event.baseVolume24h !== null) row.volume24h = event.baseVolume24h
      if (event.bid !== null && event.ask !== null) {
        row.bid = event.bid
        row.ask = event.ask
        row.quotedAt = event.receivedAt
      }
    } else if (event.kind === 'bbo') {
      if (event.bidPrice !== null) row.bid = event.bidPrice
      if (event.askPrice !== null) row.ask = event.askPrice
      row.quotedAt = event.receivedAt
    } else {
      row.last = event.price
    }
  }

  snapshot(
    view: MarketView,
    connections: ReadonlyMap<VenueId, VenueConnection>,
    source: string,
    warnings: readonly string[],
    now: number = Date.now(),
  ): DashboardSnapshot {
    const freshVenues = new Set<VenueId>()
    const symbols: SymbolPanel[] = this.panels.map((panel) => {
      const rows = panel.rows.map((row): VenueRow => {
        const age = Number.isNaN(row.quotedAt) ? null : Math.max(0, now - row.quotedAt)
        const stale = age === null || age > this.staleAfterMs
        if (!stale) freshVenues.add(row.venue)
        const mid = (row.bid + row.ask) / 2
        return {
          venue: row.venue,
          sourceSymbol: row.sourceSymbol,
          bid: orNull(row.bid),
          ask: orNull(row.ask),
          last: orNull(row.last),
          spreadBps: Number.isNaN(mid) || mid === 0 ? null : ((row.ask - row.bid) / mid) * 10_000,
          volume24h: orNull(row.volume24h),
          quoteAgeMs: age,
          latencyMs: orNull(row.latencyMs),
          stale,
        }
      })
      const bbo = view.bbo(panel.symbol)
      return {
        symbol: panel.symbol,
        rows,
        consolidated:
          bbo === null
            ? null
            : {
                bid: bbo.bidPrice,
                bidVenue: bbo.bidVenue,
                ask: bbo.askPrice,
                askVenue: bbo.askVenue,
                spreadBps: bbo.spreadBps,
                crossed: bbo.crossed,
              },
      }
    })
    const opportunities: OpportunityRow[] = view.opportunities().map((o) => ({
      id: o.id,
      symbol: o.symbol,
      buyVenue: o.buyVenue,
      sellVenue: o.sellVenue,
      buyPrice: o.buyPrice,
      sellPrice: o.sellPrice,
      netEdge: o.netEdge,
      size: o.size,
      durationMs: Math.max(o.durationMs, now - o.openedAt),
    }))
    const health = new Map(view.health().map((entry) => [entry.venue, entry]))
    const venues: VenueStatusRow[] = this.venues.map((venue) => {
      const connection = connections.get(venue)
      const stats = health.get(venue)
      const state = connection?.state ?? stats?.state ?? 'connecting'
      return {
        venue,
        state,
        reason: state === 'open' ? null : (connection?.reason ?? null),
        reconnects: Math.max(connection?.reconnects ?? 0, stats?.reconnects ?? 0),
        resyncs: Math.max(connection?.resyncs ?? 0, stats?.resyncs ?? 0),
        stale: !freshVenues.has(venue),
        messagesPerSecond: stats?.messagesPerSecond ?? 0,
        latencyP50Ms: stats?.latency.p50 ?? null,
      }
    })
    return {
      source,
      elapsedMs: now - this.startedAt,
      symbols,
      opportunities,
      recentlyClosed: [...this.closed],
      openedCount: this.openedCount,
      closedCount: this.closedCount,
      venues,
      warnings: [...warnings],
    }
  }
}
