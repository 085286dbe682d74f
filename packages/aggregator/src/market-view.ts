import type {
  BboEvent,
  BookEvent,
  InstrumentEvent,
  MarketEvent,
  StatusEvent,
  TickerEvent,
  TradeEvent,
  VenueId,
} from '@tickmesh/core'
import { VENUES } from '@tickmesh/core'
import type { ArbitrageOpportunity, OpportunityEvent } from './arbitrage-detector'
import { ArbitrageDetector } from './arbitrage-detector'
import type { ConsolidatedBbo } from './consolidated-bbo'
import { buildBbo, updateBest } from './consolidated-bbo'
import type { ConsolidatedBook } from './consolidated-book'
import { buildConsolidatedBook } from './consolidated-book'
import type { WindowStats } from './history'
import { VenueHistory } from './history'
import type { MarketViewOptions } from './market-view-options'
import { DEFAULT_STALE_AFTER_MS, DEFAULT_TAKER_FEES, validateOptions } from './market-view-options'
import type { SymbolRoute } from './quote-equivalence'
import { resolveQuoteEquivalence, routeSymbol } from './quote-equivalence'
import type { SymbolSummary } from './summary'
import { buildSummary } from './summary'
import type { VenueQuote } from './symbol-state'
import { SymbolState } from './symbol-state'
import { VenueBook } from './venue-book'
import { resolvePerVenue, VENUE_COUNT, venueIndex } from './venue-index'
import type { VenueHealth } from './venue-stats'
import { VenueStats } from './venue-stats'

/** The live cross-venue view: feed it events, read best prices, opportunities and statistics. */
export interface MarketView {
  /** Applies one event. Never throws; O(V) for V venues and allocation-free for quotes and trades. */
  ingest(event: MarketEvent): void
  /** Consolidated best bid/offer of a symbol (group symbol when quotes are merged), or null if unseen. */
  bbo(symbol: string): ConsolidatedBbo | null
  summary(symbol: string): SymbolSummary | null
  /** Top `depth` levels per side merged across venues, each tagged with its venue. Default 10. */
  book(symbol: string, depth?: number): ConsolidatedBook | null
  /** Open arbitrage opportunities. */
  opportunities(): ArbitrageOpportunity[]
  /** Subscribes to opportunity lifecycle events; returns an unsubscribe. */
  onOpportunity(listener: (event: OpportunityEvent) => void): () => void
  /** Rolling statistics of one venue's mids and trades over the last `windowMs`. */
  history(symbol: string, venue: VenueId, windowMs: number): WindowStats | null
  /** Latency, message rate and gap/resync/reconnect counts per venue that sent anything. */
  health(): VenueHealth[]
  /** Sets a venue's clock offset (venue clock minus local clock, ms) for later latency samples. */
  setClockOffset(venue: VenueId, offsetMs: number): void
  /** Group symbols seen so far. */
  symbols(): string[]
  /** Re-checks open opportunities against the clock (closes those whose leg went stale). */
  sweep(): void
  /** The view's clock: the injected `now()` or the latest `receivedAt`. */
  now(): number
  /** Events ignored because `maxSymbols` was reached or a venue sent a second symbol into one group. */
  readonly droppedEvents: number
  /** Closes open opportunities (reason `view-closed`) and stops emitting. */
  close(): void
}

interface Route extends SymbolRoute {
  state: SymbolState
}

const DEFAULT_FEES = DEFAULT_TAKER_FEES
const DEFAULT_STALE: Record<VenueId, number> = {
  binance: DEFAULT_STALE_AFTER_MS,
  bybit: DEFAULT_STALE_AFTER_MS,
  okx: DEFAULT_STALE_AFTER_MS,
  coinbase: DEFAULT_STALE_AFTER_MS,
}
const ZERO: Record<VenueId, number> = { binance: 0, bybit: 0, okx: 0, coinbase: 0 }

export function createMarketView(options: MarketViewOptions = {}): MarketView {
  validateOptions(options)
  return new MarketViewImpl(options)
}

class MarketViewImpl implements MarketView {
  private readonly states = new Map<string, SymbolState>()
  private readonly routes = new Map<string, Route>()
  private readonly equivalence
  private readonly staleAfterMs: Float64Array
  private readonly stats: VenueStats[] = []
  private readonly detector: ArbitrageDetector
  private readonly listeners = new Set<(event: OpportunityEvent) => void>()
  private readonly clock: (() => number) | undefined
  private readonly bookDepth: number
  private readonly maxSymbols: number
  private readonly midCapacity: number
  private readonly tradeCapacity: number
  private readonly rateWindowSeconds: number
  // [0] evaluation time, shared with the detector; [1] latest receivedAt; [2] and [3] the current
  // event's receivedAt and exchangeTime (NaN when none). Times travel through this typed array so the
  // ingest path never boxes a double into a call argument.
  private readonly cell = new Float64Array([
    Number.NEGATIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NaN,
    Number.NaN,
  ])
  private closed = false
  droppedEvents = 0

  constructor(options: MarketViewOptions) {
    this.equivalence = resolveQuoteEquivalence(options.quoteEquivalence)
    this.staleAfterMs = resolvePerVenue(options.staleAfterMs, DEFAULT_STALE)
    this.clock = options.now
    this.bookDepth = options.bookDepth ?? 50
    this.maxSymbols = options.maxSymbols ?? 1_000
    this.midCapacity = options.history?.mids ?? 2_048
    this.tradeCapacity = options.history?.trades ?? 2_048
    this.rateWindowSeconds = options.rateWindowSeconds ?? 10
    const offsets = resolvePerVenue(options.clockOffsetMs, ZERO)
    for (let i = 0; i < VENUE_COUNT; i++) {
      const stats = new VenueStats(VENUES[i]!)
      stats.clockOffsetMs = offsets[i]!
      this.stats.push(stats)
    }
    if (options.onOpportunity) this.listeners.add(options.onOpportunity)
    this.detector = new ArbitrageDetector(
      {
        fees: resolvePerVenue(options.takerFees, DEFAULT_FEES),
        threshold: options.threshold ?? 0.001,
        hysteresis: options.hysteresis ?? 0.0005,
        notional: options.notional ?? 10_000,
        updateIntervalMs: options.opportunityUpdateIntervalMs ?? 0,
        staleAfterMs: this.staleAfterMs,
        clock: this.cell,
      },
      (event) => this.emit(event),
    )
  }

  now(): number {
    return this.clock ? this.clock() : this.cell[1]!
  }

  /** Sets the evaluation time `cell[0]` from the injected clock or the latest receive time. */
  private tick(): void {
    this.cell[0] = this.clock ? this.clock() : this.cell[1]!
  }

  ingest(event: MarketEvent): void {
    if (this.closed) return
    try {
      this.apply(event)
    } catch {
      // A malformed event (wrong shape from a hand-built source) must not break the caller's loop.
      this.droppedEvents++
    }
  }

  private apply(event: MarketEvent): void {
    const stats = this.stats[venueIndex(event.venue)]
    if (stats === undefined) return
    // Each branch reads the event's times at a site that sees one event kind, into `cell`: a double
    // read where many event shapes meet, or passed to a call, is boxed (an allocation per event).
    const cell = this.cell
    switch (event.kind) {
      case 'bbo':
        cell[2] = event.receivedAt
        cell[3] = event.exchangeTime === null ? Number.NaN : event.exchangeTime
        this.observe(stats)
        this.applyBbo(event)
        return
      case 'ticker':
        cell[2] = event.receivedAt
        cell[3] = event.exchangeTime === null ? Number.NaN : event.exchangeTime
        this.observe(stats)
        this.applyTicker(event)
        return
      case 'book':
        cell[2] = event.receivedAt
        cell[3] = event.exchangeTime === null ? Number.NaN : event.exchangeTime
        this.observe(stats)
        this.applyBook(event)
        return
      case 'trade':
        cell[2] = event.receivedAt
        cell[3] = event.exchangeTime === null ? Number.NaN : event.exchangeTime
        this.observe(stats)
        this.applyTrade(event)
        return
      case 'status':
        cell[2] = event.receivedAt
        cell[3] = Number.NaN
        this.observe(stats)
        this.applyStatus(stats, event)
        return
      default:
        cell[2] = event.receivedAt
        cell[3] = Number.NaN
        this.observe(stats)
        if (event.kind === 'error') stats.errors++
        else if (event.kind === 'gap') stats.gaps++
        // Candles, orders and balances carry nothing the view consolidates; they still count as messages.
        return
    }
  }

  /** Advances the latest receive time and counts the event whose times are in `cell[2]`/`cell[3]`. */
  private observe(stats: VenueStats): void {
    const cell = this.cell
    if (cell[2]! > cell[1]!) cell[1] = cell[2]!
    stats.observe(cell)
  }

  // The ingest methods pass objects, never numbers: a double argument to a call that is not inlined
  // is boxed, which would be an allocation per event.

  private applyBbo(event: BboEvent): void {
    const quote = this.slotOf(event)
    if (quote === null) return
    const factor = quote.factor
    const bid = event.bidPrice
    const ask = event.askPrice
    const bidSize = event.bidSize
    const askSize = event.askSize
    quote.bid = bid === null ? Number.NaN : bid * factor
    quote.ask = ask === null ? Number.NaN : ask * factor
    quote.bidSize = bidSize === null ? Number.NaN : bidSize
    quote.askSize = askSize === null ? Number.NaN : askSize
    quote.updatedAt = this.cell[2]!
    this.quoteChanged(quote)
  }

  private applyTicker(event: TickerEvent): void {
    const bid = event.bid
    const ask = event.ask
    // A ticker without a book top (some venues' 24h tickers) says nothing about best prices.
    if (bid === null && ask === null) return
    const quote = this.slotOf(event)
    if (quote === null) return
    const factor = quote.factor
    const bidSize = event.bidSize
    const askSize = event.askSize
    quote.bid = bid === null ? Number.NaN : bid * factor
    quote.ask = ask === null ? Number.NaN : ask * factor
    quote.bidSize = bidSize === null ? Number.NaN : bidSize
    quote.askSize = askSize === null ? Number.NaN : askSize
    quote.updatedAt = this.cell[2]!
    this.quoteChanged(quote)
  }

  private applyTrade(event: TradeEvent): void {
    const quote = this.slotOf(event)
    if (quote !== null) this.historyOf(quote).recordTrade(event, quote)
  }

  /** The venue slot an instrument event feeds, or null when it is ignored (limits, double binding). */
  private slotOf(event: InstrumentEvent): VenueQuote | null {
    const route = this.route(event.symbol)
    return route === null ? null : this.bind(route, event.venue, event.symbol, event.market)
  }

  private route(symbol: string): Route | null {
    const cached = this.routes.get(symbol)
    if (cached !== undefined) return cached
    const route = routeSymbol(symbol, this.equivalence)
    let state = this.states.get(route.group)
    if (state === undefined) {
      if (this.states.size >= this.maxSymbols) {
        this.droppedEvents++
        return null
      }
      state = new SymbolState(route.group)
      this.states.set(route.group, state)
    }
    const full: Route = { group: route.group, quote: route.quote, factor: route.factor, state }
    this.routes.set(symbol, full)
    return full
  }

  /** The venue's slot in the group, bound to the first source symbol that fed it. */
  private bind(
    route: Route,
    venue: VenueId,
    symbol: string,
    market: MarketEvent['market'],
  ): VenueQuote | null {
    const quote = route.state.quotes[venueIndex(venue)]!
    if (quote.sourceSymbol === symbol) return quote
    if (quote.sourceSymbol !== null) {
      // e.g. a venue quoting both BTC/USD and BTC/USDT under USD=USDT: mixing them would flicker.
      this.droppedEvents++
      return null
    }
    quote.sourceSymbol = symbol
    quote.sourceQuote = route.quote
    quote.sourceMarket = market
    quote.factor = route.factor
    return quote
  }

  private applyBook(event: BookEvent): void {
    const quote = this.slotOf(event)
    if (quote === null) return
    if (quote.book === null) quote.book = new VenueBook(this.bookDepth, quote.factor)
    const book = quote.book
    // Every adapter's book event carries the whole top of its book after the change (`isSnapshot`
    // only says the book was rebuilt), so the levels are replaced, never merged as deltas.
    book.bids.replace(event.bids)
    book.asks.replace(event.asks)
    book.updatedAt = this.cell[2]!
    const bids = book.bids
    const asks = book.asks
    quote.bid = bids.count > 0 ? bids.prices[0]! : Number.NaN
    quote.bidSize = bids.count > 0 ? bids.sizes[0]! : Number.NaN
    quote.ask = asks.count > 0 ? asks.prices[0]! : Number.NaN
    quote.askSize = asks.count > 0 ? asks.sizes[0]! : Number.NaN
    quote.updatedAt = this.cell[2]!
    this.quoteChanged(quote)
  }

  /** After a venue's quote for a symbol changed at `cell[2]`: history, best prices, opportunities. */
  private quoteChanged(quote: VenueQuote): void {
    const state = quote.owner
    state.updatedAt = this.cell[2]!
    if (!Number.isNaN(quote.bid) && !Number.isNaN(quote.ask))
      this.historyOf(quote).recordMid(this.cell, quote)
    this.tick()
    updateBest(state, this.cell, this.staleAfterMs)
    this.detector.evaluate(state)
  }

  private historyOf(quote: VenueQuote): VenueHistory {
    if (quote.history === null) quote.history = new VenueHistory(this.midCapacity, this.tradeCapacity)
    return quote.history
  }

  private applyStatus(stats: VenueStats, event: StatusEvent): void {
    const previous = stats.state
    stats.state = event.state
    if (event.state === 'reconnecting' && previous !== 'reconnecting') stats.reconnects++
    if (event.state === 'resyncing') stats.resyncs++
    const drops =
      event.state === 'closed' ||
      event.state === 'reconnecting' ||
      event.state === 'stale' ||
      event.state === 'resyncing'
    if (!drops) return
    // The venue's quotes are no longer trustworthy: drop them now rather than wait for staleness.
    const index = venueIndex(event.venue)
    this.tick()
    for (const state of this.states.values()) {
      const quote = state.quotes[index]!
      if (quote.sourceSymbol === null) continue
      if (event.market !== null && quote.sourceMarket !== event.market) continue
      if (event.symbol !== null && quote.sourceSymbol !== event.symbol && state.symbol !== event.symbol)
        continue
      quote.drop()
      updateBest(state, this.cell, this.staleAfterMs)
      this.detector.evaluate(state)
    }
  }

  private emit(event: OpportunityEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch {
        // A throwing listener must not stop the view or the other listeners.
      }
    }
  }

  bbo(symbol: string): ConsolidatedBbo | null {
    const state = this.states.get(symbol)
    if (!state) return null
    this.tick()
    return buildBbo(state, this.cell, this.staleAfterMs)
  }

  summary(symbol: string): SymbolSummary | null {
    const state = this.states.get(symbol)
    if (!state) return null
    this.tick()
    const bbo = buildBbo(state, this.cell, this.staleAfterMs)
    return buildSummary(state, bbo, bbo.asOf, this.staleAfterMs)
  }

  book(symbol: string, depth = 10): ConsolidatedBook | null {
    const state = this.states.get(symbol)
    return state ? buildConsolidatedBook(state, depth, this.now(), this.staleAfterMs) : null
  }

  opportunities(): ArbitrageOpportunity[] {
    return this.detector.list()
  }

  onOpportunity(listener: (event: OpportunityEvent) => void): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  history(symbol: string, venue: VenueId, windowMs: number): WindowStats | null {
    const history = this.states.get(symbol)?.quotes[venueIndex(venue)]?.history
    return history ? history.stats(windowMs, this.now()) : null
  }

  health(): VenueHealth[] {
    const now = this.now()
    const out: VenueHealth[] = []
    for (const stats of this.stats) {
      if (stats.messages > 0) out.push(stats.health(now, this.rateWindowSeconds))
    }
    return out
  }

  setClockOffset(venue: VenueId, offsetMs: number): void {
    if (Number.isFinite(offsetMs)) this.stats[venueIndex(venue)]!.clockOffsetMs = offsetMs
  }

  symbols(): string[] {
    return [...this.states.keys()]
  }

  sweep(): void {
    if (this.closed) return
    this.detector.sweep(this.now())
  }

  close(): void {
    if (this.closed) return
    this.detector.closeAll(this.now(), 'view-closed')
    this.closed = true
    this.listeners.clear()
  }
}
