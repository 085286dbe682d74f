import type { GapEvent, MarketEvent, StatusEvent, TradeEvent } from '../events'
import { nowMs } from '../events'
import type { Market, VenueId } from '../venues'

/** The trades of one instrument, as the continuity asks a venue's REST for them. */
export interface TradeRange {
  market: Market
  symbol: string
  venueSymbol: string
  /** Last id received in order: fetch trades after it. */
  afterId: number
  /** First live id after the hole: trades from it on are already held. */
  beforeId: number
}

export interface TradeContinuityOptions {
  venue: VenueId
  /** Receives trades in id order, plus `gap` and `status` events. Must not throw (errors are caught). */
  emit: (event: MarketEvent) => void
  /**
   * Trades with `afterId < id < beforeId`, any order; may return fewer than asked (the venue's REST
   * reach) or throw. Missing trades it cannot return become a `gap` event.
   */
  fetchTradesSince: (range: TradeRange) => Promise<readonly TradeEvent[]>
  /** A trade's position in its instrument's sequence (consecutive integers); null = not sequenced. Default `Number(id)`. */
  sequenceOf?: (trade: TradeEvent) => number | null
  /**
   * How many sequence ids one trade covers, ending at its own (OKX aggregates fills of one taker
   * order: `tradeId` is the last fill's id and `count` fills are inside). Default 1.
   */
  spanOf?: (trade: TradeEvent) => number
  /** Live trades held per instrument while a hole is fetched; beyond it the oldest are dropped (fetched again). Default 10 000. */
  maxPending?: number
  /** REST calls per hole before the rest is reported as a gap. Default 3. */
  maxFetches?: number
  /** Delay before retrying a failed fetch (doubles). Default 500 ms. */
  retryDelayMs?: number
}

interface InstrumentState {
  market: Market
  symbol: string
  venueSymbol: string
  lastId: number | null
  lastTime: number | null
  /** Live trades past a hole, sorted by id, waiting for the hole to be filled. */
  pending: TradeEvent[]
  fetching: boolean
  /** Bumped by reset(): a fetch started before it is ignored. */
  generation: number
}

function defaultSequence(trade: TradeEvent): number | null {
  const id = Number(trade.id)
  return Number.isSafeInteger(id) ? id : null
}

/**
 * Keeps each instrument's trade stream complete, in order and free of duplicates: trade ids are
 * consecutive, so a jump (a reconnect, a dropped frame) is filled from the venue's REST through the
 * injected `fetchTradesSince` before later trades are released; a repeated id is dropped. What REST
 * cannot return (an outage longer than its reach) becomes one `gap` event naming the missing range.
 * Memory is bounded (`maxPending` per instrument) and `close()` clears every timer.
 */
export class TradeContinuity {
  private readonly states = new Map<string, InstrumentState>()
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  private readonly sequenceOf: (trade: TradeEvent) => number | null
  private readonly spanOf: (trade: TradeEvent) => number
  private readonly maxPending: number
  private readonly maxFetches: number
  private readonly retryDelayMs: number
  private closed = false

  constructor(private readonly options: TradeContinuityOptions) {
    this.sequenceOf = options.sequenceOf ?? defaultSequence
    this.spanOf = options.spanOf ?? (() => 1)
    this.maxPending = Math.max(1, options.maxPending ?? 10_000)
    this.maxFetches = Math.max(1, options.maxFetches ?? 3)
    this.retryDelayMs = Math.max(0, options.retryDelayMs ?? 500)
  }

  /** One live trade, as decoded. Never throws. */
  push(trade: TradeEvent): void {
    if (this.closed) return
    const id = this.sequenceOf(trade)
    if (id === null) {
      this.safeEmit(trade)
      return
    }
    const key = `${trade.market}|${trade.venueSymbol}`
    let state = this.states.get(key)
    if (state === undefined) {
      state = {
        market: trade.market,
        symbol: trade.symbol,
        venueSymbol: trade.venueSymbol,
        lastId: null,
        lastTime: null,
        pending: [],
        fetching: false,
        generation: 0,
      }
      this.states.set(key, state)
    }
    if (state.lastId === null) {
      this.release(state, trade, id)
      return
    }
    if (id <= state.lastId) return // Already delivered (a replay after reconnect, a REST overlap).
    if (this.firstId(trade, id) <= state.lastId + 1 && state.pending.length === 0) {
      this.release(state, trade, id)
      return
    }
    this.hold(state, trade, id)
    if (!state.fetching) this.fill(key, state, 0)
  }

  /** Forgets an instrument's position (its subscription ended): the next trade starts afresh. */
  forget(market: Market, venueSymbol: string): void {
    const key = `${market}|${venueSymbol}`
    const state = this.states.get(key)
    if (state === undefined) return
    state.generation++
    this.states.delete(key)
  }

  /** Stops every fetch and timer; later pushes are ignored. */
  close(): void {
    this.closed = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    for (const state of this.states.values()) state.generation++
    this.states.clear()
  }

  private hold(state: InstrumentState, trade: TradeEvent, id: number, bounded = true): void {
    const pending = state.pending
    // Usually appended in order; an out-of-order live trade is inserted at its place.
    let index = pending.length
    while (index > 0 && (this.sequenceOf(pending[index - 1] as TradeEvent) ?? 0) > id) index--
    if (index > 0 && this.sequenceOf(pending[index - 1] as TradeEvent) === id) return
    pending.splice(index, 0, trade)
    // Bounded: the oldest held trade goes back into the hole, to be fetched with it.
    // (REST pages are bounded by the venue and drained at once, so they are not counted.)
    if (bounded && pending.length > this.maxPending) pending.shift()
  }

  /** The first sequence id a trade covers (its own id unless it aggregates several fills). */
  private firstId(trade: TradeEvent, id: number): number {
    const span = this.spanOf(trade)
    return Number.isSafeInteger(span) && span > 1 ? id - span + 1 : id
  }

  private release(state: InstrumentState, trade: TradeEvent, id: number): void {
    state.lastId = id
    state.lastTime = trade.exchangeTime ?? trade.receivedAt
    this.safeEmit(trade)
  }

  /** Emits held trades that follow on from `lastId`; true when the pending list is drained. */
  private drain(state: InstrumentState): boolean {
    while (state.pending.length > 0) {
      const next = state.pending[0] as TradeEvent
      const id = this.sequenceOf(next) as number
      if (state.lastId !== null && id <= state.lastId) {
        state.pending.shift()
        continue
      }
      if (state.lastId !== null && this.firstId(next, id) > state.lastId + 1) return false
      state.pending.shift()
      this.release(state, next, id)
    }
    return true
  }

  private fill(key: string, state: InstrumentState, fetches: number): void {
    if (this.drain(state)) {
      if (state.fetching) {
        state.fetching = false
        this.status(state, 'open', 'trade stream complete again')
      }
      return
    }
    const first = state.pending[0] as TradeEvent
    const beforeId = this.firstId(first, this.sequenceOf(first) as number)
    const afterId = state.lastId as number
    if (fetches >= this.maxFetches) {
      this.gap(
        state,
        afterId,
        beforeId,
        first,
        `REST returned no more of the ${beforeId - afterId - 1} missing trades`,
      )
      this.fill(key, state, 0)
      return
    }
    if (!state.fetching) {
      state.fetching = true
      this.status(state, 'resyncing', `missed trades ${afterId + 1}…${beforeId - 1}; fetching them over REST`)
    }
    const generation = state.generation
    let request: Promise<readonly TradeEvent[]>
    try {
      request = this.options.fetchTradesSince({
        market: state.market,
        symbol: state.symbol,
        venueSymbol: state.venueSymbol,
        afterId,
        beforeId,
      })
    } catch (error) {
      request = Promise.reject(error)
    }
    request.then(
      (trades) => {
        if (this.closed || state.generation !== generation) return
        const before = state.lastId
        for (const trade of trades) {
          const id = this.sequenceOf(trade)
          // Only trades wholly inside the hole: fills inside a held aggregate must not count twice.
          if (id !== null && id > (state.lastId ?? Number.NEGATIVE_INFINITY) && id < beforeId)
            this.hold(state, trade, id, false)
        }
        this.drain(state)
        // Progress resets the budget; a fetch that brought nothing new counts against it.
        const progressed = state.lastId !== before
        this.fill(key, state, progressed ? 0 : fetches + 1)
      },
      () => {
        if (this.closed || state.generation !== generation) return
        const timer = setTimeout(
          () => {
            this.timers.delete(timer)
            if (!this.closed && state.generation === generation) this.fill(key, state, fetches + 1)
          },
          this.retryDelayMs * 2 ** fetches,
        )
        this.timers.add(timer)
      },
    )
  }

  private gap(
    state: InstrumentState,
    afterId: number,
    beforeId: number,
    first: TradeEvent,
    why: string,
  ): void {
    const event: GapEvent = {
      kind: 'gap',
      venue: this.options.venue,
      market: state.market,
      symbol: state.symbol,
      venueSymbol: state.venueSymbol,
      exchangeTime: first.exchangeTime,
      receivedAt: nowMs(),
      channel: 'trades',
      fromId: String(afterId),
      toId: String(beforeId),
      fromTime: state.lastTime,
      toTime: first.exchangeTime,
      reason: `Trades ${afterId + 1}…${beforeId - 1} are missing: ${why} (beyond the venue's REST reach).`,
    }
    this.safeEmit(event)
    // Continue after the hole.
    state.lastId = beforeId - 1
  }

  private status(state: InstrumentState, value: 'open' | 'resyncing', reason: string): void {
    const event: StatusEvent = {
      kind: 'status',
      venue: this.options.venue,
      market: state.market,
      state: value,
      reason,
      symbol: state.symbol,
      channel: 'trades',
      url: null,
      attempt: 0,
      receivedAt: nowMs(),
    }
    this.safeEmit(event)
  }

  private safeEmit(event: MarketEvent): void {
    try {
      this.options.emit(event)
    } catch {
      // A consumer's exception must not break the trade stream.
    }
  }
}
