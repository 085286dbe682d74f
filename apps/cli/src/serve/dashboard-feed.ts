import type { MarketView, OpportunityEvent } from '@tickmesh/aggregator'
import { type MarketEvent, VENUES, type VenueId } from '@tickmesh/core'
import type { VenueConnection } from '../session'
import type {
  AnalysisRow,
  BboRow,
  DashboardState,
  OpportunityRow,
  SnapshotMessage,
  SymbolPoint,
  UpdateMessage,
  VenueHealthRow,
  VenueNotice,
} from './dashboard-messages'

/** What the feed reads: a live session's client, or anything shaped like it (tests). */
export interface FeedSource {
  readonly view: MarketView
  onEvent(listener: (event: MarketEvent) => void): () => void
  onOpportunity(listener: (event: OpportunityEvent) => void): () => void
}

export interface DashboardFeedOptions {
  source: FeedSource
  /** Group symbols to chart, in page order. */
  symbols: readonly string[]
  venues: readonly VenueId[]
  /** Connection facts per venue (the CLI session keeps them up to date). */
  connections: ReadonlyMap<VenueId, VenueConnection>
  /** "simulator" or "live venues", shown in the page header. */
  sourceLabel: string
  /** The view's arbitrage threshold (fraction), shown with the timeline. */
  arbitrageThreshold?: number
  /** How often an update is built and pushed (default 200 ms; at least 100 ms, so ≤ 10 per second). */
  updateIntervalMs?: number
  /** Chart history per symbol in one-second points (default 900: 15 minutes). */
  historyPoints?: number
  /** A venue silent for longer than this is shown as not connected (default 10 s). */
  silentAfterMs?: number
  /** Closed opportunities kept for the timeline (default 100). */
  maxOpportunities?: number
  /** Connection notices kept for the log (default 50). */
  maxNotices?: number
  now?: () => number
}

export const MIN_UPDATE_INTERVAL_MS = 100
const DEFAULT_UPDATE_INTERVAL_MS = 200

/** A fixed-size ring of chart points; the newest point of a second replaces the previous one. */
class PointRing {
  private readonly points: (SymbolPoint | undefined)[]
  private start = 0
  private size = 0
  constructor(private readonly capacity: number) {
    this.points = new Array<SymbolPoint | undefined>(capacity)
  }

  push(point: SymbolPoint): void {
    if (this.size > 0) {
      const lastIndex = (this.start + this.size - 1) % this.capacity
      const last = this.points[lastIndex]!
      if (last.time >= point.time) {
        this.points[lastIndex] = point
        return
      }
    }
    if (this.size < this.capacity) {
      this.points[(this.start + this.size) % this.capacity] = point
      this.size++
    } else {
      this.points[this.start] = point
      this.start = (this.start + 1) % this.capacity
    }
  }

  toArray(): SymbolPoint[] {
    const result: SymbolPoint[] = []
    for (let i = 0; i < this.size; i++) result.push(this.points[(this.start + i) % this.capacity]!)
    return result
  }
}

/**
 * Turns a live market view into what the page draws: one-second chart points per symbol, the
 * consolidated BBO, an arbitrage timeline, venue health and connection notices. Events only bump
 * counters; the work happens in `tick()`, on a timer, so a busy market costs the page nothing more.
 */
export class DashboardFeed {
  readonly updateIntervalMs: number
  private readonly history = new Map<string, PointRing>()
  private readonly latest = new Map<string, SymbolPoint>()
  // Per venue (index in VENUES); a typed array so recording a receive time never allocates.
  private readonly lastMessageAt = new Float64Array(VENUES.length).fill(Number.NaN)
  private readonly lastDisconnectAt = new Map<VenueId, number>()
  private readonly connectionState = new Map<VenueId, string>()
  private readonly openOpportunities = new Map<string, OpportunityRow>()
  private readonly closedOpportunities: OpportunityRow[] = []
  private readonly notices: VenueNotice[] = []
  private readonly analyses: AnalysisRow[] = []
  private readonly listeners = new Set<(message: UpdateMessage) => void>()
  private readonly unsubscribe: (() => void)[] = []
  private readonly now: () => number
  private readonly silentAfterMs: number
  private readonly maxOpportunities: number
  private readonly maxNotices: number
  private openedCount = 0
  private closedCount = 0
  private timer: ReturnType<typeof setInterval> | null = null
  private state: DashboardState

  constructor(private readonly options: DashboardFeedOptions) {
    this.updateIntervalMs = Math.max(
      MIN_UPDATE_INTERVAL_MS,
      options.updateIntervalMs ?? DEFAULT_UPDATE_INTERVAL_MS,
    )
    this.now = options.now ?? Date.now
    this.silentAfterMs = options.silentAfterMs ?? 10_000
    this.maxOpportunities = options.maxOpportunities ?? 100
    this.maxNotices = options.maxNotices ?? 50
    const capacity = Math.max(2, options.historyPoints ?? 900)
    for (const symbol of options.symbols) this.history.set(symbol, new PointRing(capacity))
    this.unsubscribe.push(
      options.source.onEvent((event) => this.onEvent(event)),
      options.source.onOpportunity((event) => this.onOpportunity(event)),
    )
    this.state = this.buildState(this.now())
  }

  /** Starts the update timer. */
  start(): void {
    if (this.timer !== null) return
    this.timer = setInterval(() => this.tick(), this.updateIntervalMs)
  }

  /** Called with every update; returns an unsubscribe. */
  onUpdate(listener: (message: UpdateMessage) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** What a page gets on connect: the settings, all chart history and the current tables. */
  snapshot(): SnapshotMessage {
    const history: Record<string, SymbolPoint[]> = {}
    for (const [symbol, ring] of this.history) history[symbol] = ring.toArray()
    return {
      type: 'snapshot',
      symbols: [...this.options.symbols],
      venues: [...this.options.venues],
      updateIntervalMs: this.updateIntervalMs,
      history,
      state: this.state,
    }
  }

  /** Adds an AI analysis line (newest first on the page, 20 kept). */
  addAnalysis(row: AnalysisRow): void {
    this.analyses.unshift(row)
    if (this.analyses.length > 20) this.analyses.length = 20
  }

  /** Samples the view, stores the points and pushes one update to every listener. Never throws. */
  tick(): UpdateMessage {
    const now = this.now()
    const time = Math.floor(now / 1_000)
    const points: Record<string, SymbolPoint> = {}
    for (const symbol of this.options.symbols) {
      const point = this.samplePoint(symbol, time)
      points[symbol] = point
      this.latest.set(symbol, point)
      this.history.get(symbol)?.push(point)
    }
    this.state = this.buildState(now)
    const message: UpdateMessage = { type: 'update', points, state: this.state }
    for (const listener of this.listeners) {
      try {
        listener(message)
      } catch {
        // One broken page connection must not stop the others' updates.
      }
    }
    return message
  }

  close(): void {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
    for (const stop of this.unsubscribe) stop()
    this.unsubscribe.length = 0
    this.listeners.clear()
  }

  private onEvent(event: MarketEvent): void {
    const index = VENUES.indexOf(event.venue)
    if (index >= 0) this.lastMessageAt[index] = event.receivedAt
    if (event.kind !== 'status' || event.symbol !== null) return
    const previous = this.connectionState.get(event.venue)
    if (previous === event.state) return
    this.connectionState.set(event.venue, event.state)
    if (event.state !== 'open' && event.state !== 'connecting') {
      this.lastDisconnectAt.set(event.venue, event.receivedAt)
    }
    this.notices.unshift({
      at: event.receivedAt,
      venue: event.venue,
      state: event.state,
      reason: event.reason,
    })
    if (this.notices.length > this.maxNotices) this.notices.length = this.maxNotices
  }

  private onOpportunity(event: OpportunityEvent): void {
    const o = event.opportunity
    if (event.type === 'closed') {
      const row = this.openOpportunities.get(o.id) ?? this.rowOf(event.opportunity)
      this.openOpportunities.delete(o.id)
      row.closedAt = event.closedAt
      row.closeReason = event.reason
      row.netEdge = o.netEdge
      row.peakNetEdge = o.peakNetEdge
      this.closedCount++
      this.closedOpportunities.unshift(row)
      if (this.closedOpportunities.length > this.maxOpportunities) {
        this.closedOpportunities.length = this.maxOpportunities
      }
      return
    }
    if (event.type === 'opened') this.openedCount++
    // Open opportunities are bounded by the view (one per symbol and venue pair).
    this.openOpportunities.set(o.id, this.rowOf(o))
  }

  private rowOf(o: OpportunityEvent['opportunity']): OpportunityRow {
    return {
      id: o.id,
      symbol: o.symbol,
      buyVenue: o.buyVenue,
      sellVenue: o.sellVenue,
      buyPrice: o.buyPrice,
      sellPrice: o.sellPrice,
      netEdge: o.netEdge,
      peakNetEdge: o.peakNetEdge,
      size: o.size,
      openedAt: o.openedAt,
      closedAt: null,
      closeReason: null,
    }
  }

  private samplePoint(symbol: string, time: number): SymbolPoint {
    const mids: SymbolPoint['mids'] = {}
    const deviationBps: SymbolPoint['deviationBps'] = {}
    const summary = this.options.source.view.summary(symbol)
    const bbo = this.options.source.view.bbo(symbol)
    for (const venue of this.options.venues) {
      mids[venue] = null
      deviationBps[venue] = null
    }
    if (summary !== null) {
      for (const line of summary.venues) {
        mids[line.venue] = finite(line.mid)
        deviationBps[line.venue] = finite(line.deviationFromConsolidatedMidBps)
      }
    }
    return {
      time,
      mids,
      mid: finite(bbo?.mid ?? null),
      spreadBps: finite(bbo?.spreadBps ?? null),
      deviationBps,
    }
  }

  private buildState(now: number): DashboardState {
    const view = this.options.source.view
    const bbo: BboRow[] = []
    const freshVenues = new Set<VenueId>()
    for (const symbol of this.options.symbols) {
      const value = view.bbo(symbol)
      if (value === null) {
        bbo.push(emptyBbo(symbol))
        continue
      }
      for (const venue of value.venues) freshVenues.add(venue)
      bbo.push({
        symbol,
        bid: finite(value.bidPrice),
        bidSize: finite(value.bidSize),
        bidVenue: value.bidVenue,
        ask: finite(value.askPrice),
        askSize: finite(value.askSize),
        askVenue: value.askVenue,
        spreadBps: finite(value.spreadBps),
        crossed: value.crossed,
        venues: [...value.venues],
        stale: [...value.stale],
      })
    }
    const health = new Map(view.health().map((entry) => [entry.venue, entry]))
    const venues: VenueHealthRow[] = this.options.venues.map((venue) => {
      const connection = this.options.connections.get(venue)
      const stats = health.get(venue)
      const state = connection?.state ?? stats?.state ?? 'connecting'
      const lastAt = this.lastMessageAt[VENUES.indexOf(venue)] ?? Number.NaN
      const age = Number.isNaN(lastAt) ? null : Math.max(0, now - lastAt)
      return {
        venue,
        state,
        connected: state === 'open' && age !== null && age <= this.silentAfterMs,
        stale: !freshVenues.has(venue),
        latencyP50Ms: finite(stats?.latency.p50 ?? null),
        latencyP99Ms: finite(stats?.latency.p99 ?? null),
        messagesPerSecond: finite(stats?.messagesPerSecond ?? null) ?? 0,
        reconnects: Math.max(connection?.reconnects ?? 0, stats?.reconnects ?? 0),
        resyncs: Math.max(connection?.resyncs ?? 0, stats?.resyncs ?? 0),
        lastMessageAgeMs: age,
        lastDisconnectAt: this.lastDisconnectAt.get(venue) ?? null,
        reason: connection?.reason ?? null,
      }
    })
    const opportunities = [...this.openOpportunities.values(), ...this.closedOpportunities].slice(
      0,
      this.maxOpportunities,
    )
    return {
      now,
      source: this.options.sourceLabel,
      bbo,
      opportunities,
      openedCount: this.openedCount,
      closedCount: this.closedCount,
      arbitrageThresholdBps:
        this.options.arbitrageThreshold === undefined
          ? null
          : Math.round(this.options.arbitrageThreshold * 10_000 * 100) / 100,
      venues,
      notices: [...this.notices],
      analyses: [...this.analyses],
    }
  }
}

function finite(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

function emptyBbo(symbol: string): BboRow {
  return {
    symbol,
    bid: null,
    bidSize: null,
    bidVenue: null,
    ask: null,
    askSize: null,
    askVenue: null,
    spreadBps: null,
    crossed: false,
    venues: [],
    stale: [],
  }
}
