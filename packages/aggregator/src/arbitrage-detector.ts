import type { VenueId } from '@tickmesh/core'
import type { SymbolState, VenueQuote } from './symbol-state'
import type { BookSideLevels } from './venue-book'
import { VENUE_COUNT } from './venue-index'

/** Why an opportunity ended. */
export type OpportunityCloseReason =
  /** Its net edge fell below `threshold - hysteresis`. */
  | 'below-threshold'
  /** A leg's quote got older than that venue's staleness limit. */
  | 'stale'
  /** A leg's venue disconnected or resynced: its quotes were dropped. */
  | 'disconnected'
  /** A leg's venue stopped quoting that side (null bid/ask). */
  | 'quote-missing'
  /** The view was closed or reset. */
  | 'view-closed'

/** A cross-venue dislocation: buy at `buyVenue`'s ask, sell at `sellVenue`'s bid. */
export interface ArbitrageOpportunity {
  /** Stable for the opportunity's life: `BTC/USDT#3`. */
  id: string
  symbol: string
  /** Quote currencies of the two legs (differ when quote equivalence merged them). */
  mergedQuotes: string[]
  buyVenue: VenueId
  sellVenue: VenueId
  /** The venues' own symbols (`BTC/USD` on Coinbase when merged into `BTC/USDT`). */
  buySymbol: string
  sellSymbol: string
  /** Price paid per unit: the ask, or the VWAP of the asks walked for `notional`. In the group quote. */
  buyPrice: number
  /** Price received per unit: the bid, or the VWAP of the bids walked. In the group quote. */
  sellPrice: number
  /** Base quantity tradable on both legs; null when a venue sends no sizes. */
  size: number | null
  /** `size × buyPrice` in the group quote; null with `size`. */
  notional: number | null
  /** How size and prices were found: top of book, or by walking both L2 books for `notional`. */
  sizing: 'top-of-book' | 'book-vwap'
  /** `sellPrice / buyPrice - 1`, before fees (a fraction: 0.002 = 0.2%). */
  grossEdge: number
  /** `sellPrice × (1 - sellFee) / (buyPrice × (1 + buyFee)) - 1`: what is left after both taker fees. */
  netEdge: number
  buyFee: number
  sellFee: number
  /** Highest `netEdge` seen while open. */
  peakNetEdge: number
  openedAt: number
  updatedAt: number
  /** `updatedAt - openedAt`, or `closedAt - openedAt` once closed. */
  durationMs: number
}

export type OpportunityEvent =
  | { type: 'opened'; opportunity: ArbitrageOpportunity }
  | { type: 'updated'; opportunity: ArbitrageOpportunity }
  | {
      type: 'closed'
      opportunity: ArbitrageOpportunity
      reason: OpportunityCloseReason
      closedAt: number
    }

export interface ArbitrageSettings {
  /** Taker fee per venue as a fraction (0.001 = 0.10%). */
  fees: Float64Array
  /** Net edge an opportunity must exceed to open (fraction). */
  threshold: number
  /** An open opportunity closes when its net edge falls below `threshold - hysteresis`. */
  hysteresis: number
  /** Quote notional to walk both L2 books for; 0 disables the book walk. */
  notional: number
  /** Minimum time between two `updated` events of one opportunity, unless its venues change. */
  updateIntervalMs: number
  staleAfterMs: Float64Array
  /**
   * `clock[0]` is the evaluation time (ms), written by the caller before `evaluate`. Passing time in a
   * shared typed array keeps the hot path from boxing a double on every call.
   */
  clock: Float64Array
}

/** Scratch result of pricing one pair; reused so pricing never allocates. */
class PairQuote {
  buy: VenueQuote | null = null
  sell: VenueQuote | null = null
  buyPrice = 0
  sellPrice = 0
  size = Number.NaN
  grossEdge = 0
  netEdge = 0
  sizing: 'top-of-book' | 'book-vwap' = 'top-of-book'
}

/** The open opportunity of one symbol (at most one: a dislocation is one opportunity). */
class OpenOpportunity {
  constructor(
    readonly id: string,
    readonly openedAt: number,
  ) {}
  /** Legs may move to better venues while the dislocation lasts; set by `copy` before any read. */
  buy!: VenueQuote
  sell!: VenueQuote
  buyPrice = 0
  sellPrice = 0
  size = Number.NaN
  grossEdge = 0
  netEdge = 0
  peakNetEdge = Number.NEGATIVE_INFINITY
  sizing: 'top-of-book' | 'book-vwap' = 'top-of-book'
  updatedAt = 0
  /** When the last opened/updated event went out, for `updateIntervalMs`. */
  emittedAt = Number.NEGATIVE_INFINITY
}

/**
 * Detects cross-venue opportunities per symbol with hysteresis: one symbol has at most one open
 * opportunity, which follows the best pair of venues (its legs may move) until the best net edge falls
 * below `threshold - hysteresis`, so one dislocation yields one opened → updated… → closed sequence.
 * Each evaluation is O(V), plus the book walk when both legs have fresh L2 books.
 */
export class ArbitrageDetector {
  private readonly open = new Map<SymbolState, OpenOpportunity>()
  private readonly scratch = new PairQuote()
  private sequence = 0

  constructor(
    private readonly settings: ArbitrageSettings,
    private readonly emit: (event: OpportunityEvent) => void,
  ) {}

  get openCount(): number {
    return this.open.size
  }

  /** The open opportunities, as snapshots. */
  list(): ArbitrageOpportunity[] {
    const out: ArbitrageOpportunity[] = []
    for (const [state, open] of this.open) out.push(this.snapshot(state, open, open.updatedAt))
    return out
  }

  /** Re-evaluates `state` at `clock[0]` after one of its quotes changed. O(V) plus the book walk. */
  evaluate(state: SymbolState): void {
    const current = this.open.get(state)
    const priced = this.priceBestPair(state, current !== undefined)
    const quote = this.scratch
    if (current === undefined) {
      if (!priced || !(quote.netEdge > this.settings.threshold)) return
      const now = this.settings.clock[0]!
      this.sequence++
      const open = new OpenOpportunity(`${state.symbol}#${this.sequence}`, now)
      this.copy(open, now)
      open.emittedAt = now
      this.open.set(state, open)
      this.emit({ type: 'opened', opportunity: this.snapshot(state, open, now) })
      return
    }
    if (!priced || quote.netEdge < this.settings.threshold - this.settings.hysteresis) {
      const now = this.settings.clock[0]!
      this.close(state, current, this.legProblem(current, now) ?? 'below-threshold', now)
      return
    }
    const legsMoved = quote.buy !== current.buy || quote.sell !== current.sell
    if (
      legsMoved ||
      quote.buyPrice !== current.buyPrice ||
      quote.sellPrice !== current.sellPrice ||
      !sameSize(quote.size, current.size)
    ) {
      const now = this.settings.clock[0]!
      this.copy(current, now)
      // The state is always current (peak, `list()`, the closing event); only the event is throttled.
      if (legsMoved || now - current.emittedAt >= this.settings.updateIntervalMs) {
        current.emittedAt = now
        this.emit({ type: 'updated', opportunity: this.snapshot(state, current, now) })
      }
    }
  }

  /** Re-checks every open opportunity against `now` (closes those whose leg went stale). */
  sweep(now: number): void {
    this.settings.clock[0] = now
    for (const state of this.open.keys()) this.evaluate(state)
  }

  closeAll(now: number, reason: OpportunityCloseReason): void {
    for (const [state, open] of this.open) this.close(state, open, reason, now)
  }

  /**
   * Finds the best pair of fresh venues by fee-adjusted top of book and prices it into `scratch`.
   * False when there is no pair or its top-of-book net edge is below the open (or, for an open
   * opportunity, the close) level.
   */
  private priceBestPair(state: SymbolState, isOpen: boolean): boolean {
    const { fees, threshold, hysteresis } = this.settings
    const stale = this.settings.staleAfterMs
    const now = this.settings.clock[0]!
    const floor = isOpen ? threshold - hysteresis : threshold
    // Top two effective bids and asks, so the pair always spans two venues. O(V).
    let bid1 = -1
    let bid2 = -1
    let ask1 = -1
    let ask2 = -1
    let bid1Value = Number.NEGATIVE_INFINITY
    let bid2Value = Number.NEGATIVE_INFINITY
    let ask1Value = Number.POSITIVE_INFINITY
    let ask2Value = Number.POSITIVE_INFINITY
    for (let i = 0; i < VENUE_COUNT; i++) {
      const quote = state.quotes[i]!
      if (now - quote.updatedAt > stale[i]!) continue
      if (!Number.isNaN(quote.bid)) {
        const value = quote.bid * (1 - fees[i]!)
        if (value > bid1Value) {
          bid2 = bid1
          bid2Value = bid1Value
          bid1 = i
          bid1Value = value
        } else if (value > bid2Value) {
          bid2 = i
          bid2Value = value
        }
      }
      if (!Number.isNaN(quote.ask)) {
        const value = quote.ask * (1 + fees[i]!)
        if (value < ask1Value) {
          ask2 = ask1
          ask2Value = ask1Value
          ask1 = i
          ask1Value = value
        } else if (value < ask2Value) {
          ask2 = i
          ask2Value = value
        }
      }
    }
    let buy = ask1
    let sell = bid1
    let topEdge = bid1Value / ask1Value - 1
    if (buy >= 0 && buy === sell) {
      // Same venue on both sides: take the better of its two alternatives.
      const withSecondAsk = ask2 >= 0 ? bid1Value / ask2Value - 1 : Number.NEGATIVE_INFINITY
      const withSecondBid = bid2 >= 0 ? bid2Value / ask1Value - 1 : Number.NEGATIVE_INFINITY
      if (withSecondAsk >= withSecondBid) {
        buy = ask2
        topEdge = withSecondAsk
      } else {
        sell = bid2
        topEdge = withSecondBid
      }
    }
    if (buy < 0 || sell < 0 || buy === sell) return false
    // The touch is the best any book walk can do: skip the walk when the touch is not enough.
    if (!(topEdge >= floor)) return false
    this.price(state.quotes[buy]!, state.quotes[sell]!)
    return true
  }

  private legProblem(open: OpenOpportunity, now: number): OpportunityCloseReason | null {
    return (
      legProblem(open.buy, open.buy.hasAsk(), now, this.settings.staleAfterMs) ??
      legProblem(open.sell, open.sell.hasBid(), now, this.settings.staleAfterMs)
    )
  }

  /** Prices buying on `buy` and selling on `sell` into `this.scratch`. */
  private price(buy: VenueQuote, sell: VenueQuote): void {
    const { fees, notional, staleAfterMs } = this.settings
    const now = this.settings.clock[0]!
    const quote = this.scratch
    quote.buy = buy
    quote.sell = sell
    const buyFee = fees[buy.index]!
    const sellFee = fees[sell.index]!
    const asks = buy.book?.asks
    const bids = sell.book?.bids
    if (
      notional > 0 &&
      asks !== undefined &&
      bids !== undefined &&
      asks.count > 0 &&
      bids.count > 0 &&
      now - buy.book!.updatedAt <= staleAfterMs[buy.index]! &&
      now - sell.book!.updatedAt <= staleAfterMs[sell.index]!
    ) {
      const wanted = quantityForNotional(asks, notional)
      const size = Math.min(wanted, totalQuantity(bids))
      quote.sizing = 'book-vwap'
      quote.size = size
      quote.buyPrice = costForQuantity(asks, size) / size
      quote.sellPrice = costForQuantity(bids, size) / size
    } else {
      quote.sizing = 'top-of-book'
      quote.buyPrice = buy.ask
      quote.sellPrice = sell.bid
      quote.size = Math.min(buy.askSize, sell.bidSize)
    }
    quote.grossEdge = quote.sellPrice / quote.buyPrice - 1
    quote.netEdge = (quote.sellPrice * (1 - sellFee)) / (quote.buyPrice * (1 + buyFee)) - 1
  }

  private copy(open: OpenOpportunity, now: number): void {
    const quote = this.scratch
    open.buy = quote.buy!
    open.sell = quote.sell!
    open.buyPrice = quote.buyPrice
    open.sellPrice = quote.sellPrice
    open.size = quote.size
    open.grossEdge = quote.grossEdge
    open.netEdge = quote.netEdge
    open.sizing = quote.sizing
    if (quote.netEdge > open.peakNetEdge) open.peakNetEdge = quote.netEdge
    open.updatedAt = now
  }

  private close(
    state: SymbolState,
    open: OpenOpportunity,
    reason: OpportunityCloseReason,
    now: number,
  ): void {
    this.open.delete(state)
    const opportunity = this.snapshot(state, open, now)
    opportunity.durationMs = now - open.openedAt
    this.emit({ type: 'closed', opportunity, reason, closedAt: now })
  }

  private snapshot(state: SymbolState, open: OpenOpportunity, now: number): ArbitrageOpportunity {
    const size = Number.isFinite(open.size) ? open.size : null
    const mergedQuotes = [open.buy.sourceQuote]
    if (open.sell.sourceQuote !== open.buy.sourceQuote) mergedQuotes.push(open.sell.sourceQuote)
    return {
      id: open.id,
      symbol: state.symbol,
      mergedQuotes,
      buyVenue: open.buy.venue,
      sellVenue: open.sell.venue,
      buySymbol: open.buy.sourceSymbol ?? state.symbol,
      sellSymbol: open.sell.sourceSymbol ?? state.symbol,
      buyPrice: open.buyPrice,
      sellPrice: open.sellPrice,
      size,
      notional: size === null ? null : size * open.buyPrice,
      sizing: open.sizing,
      grossEdge: open.grossEdge,
      netEdge: open.netEdge,
      buyFee: this.settings.fees[open.buy.index]!,
      sellFee: this.settings.fees[open.sell.index]!,
      peakNetEdge: open.peakNetEdge,
      openedAt: open.openedAt,
      updatedAt: open.updatedAt,
      durationMs: now - open.openedAt,
    }
  }
}

function legProblem(
  leg: VenueQuote,
  hasSide: boolean,
  now: number,
  staleAfterMs: Float64Array,
): OpportunityCloseReason | null {
  if (leg.updatedAt === Number.NEGATIVE_INFINITY) return 'disconnected'
  if (now - leg.updatedAt > staleAfterMs[leg.index]!) return 'stale'
  return hasSide ? null : 'quote-missing'
}

function sameSize(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b))
}

/** Base quantity bought by spending `notional` of quote on `side`, capped by its depth. */
function quantityForNotional(side: BookSideLevels, notional: number): number {
  let remaining = notional
  let quantity = 0
  for (let i = 0; i < side.count; i++) {
    const price = side.prices[i]!
    const size = side.sizes[i]!
    const cost = price * size
    if (cost >= remaining) return quantity + remaining / price
    remaining -= cost
    quantity += size
  }
  return quantity
}

function totalQuantity(side: BookSideLevels): number {
  let quantity = 0
  for (let i = 0; i < side.count; i++) quantity += side.sizes[i]!
  return quantity
}

/** Quote amount for trading `quantity` against `side`, best level first. */
function costForQuantity(side: BookSideLevels, quantity: number): number {
  let remaining = quantity
  let cost = 0
  for (let i = 0; i < side.count && remaining > 0; i++) {
    const take = Math.min(remaining, side.sizes[i]!)
    cost += take * side.prices[i]!
    remaining -= take
  }
  return cost
}
