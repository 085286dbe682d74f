import type { GapEvent, Market, MarketEvent, RestClient, TradeEvent } from '@tickmesh/core'
import { nowMs, TickmeshError } from '@tickmesh/core'
import { isObject, readNumber } from './decode/decode-helpers'

/** REST pages fetched to close one gap (1000 trades each) before giving up with a `gap` event. */
const MAX_PAGES = 10
const PAGE_LIMIT = 1000
/** Live trades held while a backfill is in flight; beyond it the oldest are dropped and a gap reported. */
const MAX_PENDING = 10_000

interface TradeState {
  market: Market
  venueSymbol: string
  symbol: string
  lastId: number | null
  lastTime: number | null
  backfilling: boolean
  pending: TradeEvent[]
  generation: number
}

export interface TradeBackfillOptions {
  emit: (event: MarketEvent) => void
  restOf: (market: Market) => RestClient
  isClosed: () => boolean
}

/**
 * Keeps each symbol's `aggTrade` stream gap-free: aggregate trade ids are consecutive, so a jump
 * (a reconnect, a dropped frame) is filled from REST `aggTrades?fromId=` before later trades are
 * released, in id order and without duplicates. A gap REST cannot close becomes a `gap` event.
 */
export class BinanceTradeBackfill {
  private readonly states = new Map<string, TradeState>()

  constructor(private readonly options: TradeBackfillOptions) {}

  /** Passes a live trade through, or holds it while the trades before it are fetched. */
  push(event: TradeEvent): void {
    const key = `${event.market}:${event.venueSymbol}`
    let state = this.states.get(key)
    if (!state) {
      state = {
        market: event.market,
        venueSymbol: event.venueSymbol,
        symbol: event.symbol,
        lastId: null,
        lastTime: null,
        backfilling: false,
        pending: [],
        generation: 0,
      }
      this.states.set(key, state)
    }
    const id = Number(event.id)
    if (state.backfilling) {
      if (state.pending.length >= MAX_PENDING) {
        const dropped = state.pending.shift() as TradeEvent
        const droppedId = Number(dropped.id)
        this.gap(
          state,
          String(droppedId - 1),
          String(droppedId + 1),
          dropped.exchangeTime,
          dropped.exchangeTime,
          'live trades overflowed the backfill buffer',
        )
      }
      state.pending.push(event)
      return
    }
    if (state.lastId === null || id === state.lastId + 1) {
      this.release(state, event)
      return
    }
    if (id <= state.lastId) return
    state.backfilling = true
    state.pending.push(event)
    void this.backfill(state, state.generation)
  }

  /** Stops tracking a symbol (its trades were unsubscribed). */
  forget(market: Market, venueSymbol: string): void {
    const state = this.states.get(`${market}:${venueSymbol}`)
    if (state) state.generation++
    this.states.delete(`${market}:${venueSymbol}`)
  }

  clear(): void {
    for (const state of this.states.values()) state.generation++
    this.states.clear()
  }

  private release(state: TradeState, event: TradeEvent): void {
    state.lastId = Number(event.id)
    state.lastTime = event.exchangeTime
    this.options.emit(event)
  }

  private async backfill(state: TradeState, generation: number): Promise<void> {
    const path = state.market === 'spot' ? '/api/v3/aggTrades' : '/fapi/v1/aggTrades'
    const firstLive = Number((state.pending[0] as TradeEvent).id)
    let failure: string | null = null
    for (let page = 0; page < MAX_PAGES && (state.lastId as number) + 1 < firstLive; page++) {
      let body: unknown
      try {
        const response = await this.options.restOf(state.market).get<unknown>(path, {
          symbol: state.venueSymbol,
          fromId: (state.lastId as number) + 1,
          limit: PAGE_LIMIT,
        })
        body = response.value
      } catch (error) {
        failure = error instanceof TickmeshError ? error.shortMessage : String(error)
        break
      }
      if (this.options.isClosed() || generation !== state.generation) return
      if (!Array.isArray(body) || body.length === 0) break
      const before = state.lastId
      for (const entry of body) {
        const trade = this.fromRest(state, entry)
        if (trade === null) continue
        const id = Number(trade.id)
        if (id <= (state.lastId as number) || id >= firstLive) continue
        if (id !== (state.lastId as number) + 1) {
          this.gap(
            state,
            String(state.lastId),
            String(id),
            state.lastTime,
            trade.exchangeTime,
            'the venue returned non-consecutive aggregate trade ids',
          )
        }
        this.release(state, trade)
      }
      if (state.lastId === before) break
    }
    if (this.options.isClosed() || generation !== state.generation) return
    if ((state.lastId as number) + 1 < firstLive) {
      const first = state.pending[0] as TradeEvent
      this.gap(
        state,
        String(state.lastId),
        String(firstLive),
        state.lastTime,
        first.exchangeTime,
        failure === null ? 'the missing trades are beyond the REST history' : `backfill failed: ${failure}`,
      )
      state.lastId = firstLive - 1
    }
    state.backfilling = false
    const pending = state.pending
    state.pending = []
    // Release the held trades through push(): a second gap inside them starts another backfill.
    for (const event of pending) this.push(event)
  }

  private fromRest(state: TradeState, entry: unknown): TradeEvent | null {
    if (!isObject(entry)) return null
    const id = readNumber(entry, 'a')
    const price = readNumber(entry, 'p')
    const amount = readNumber(entry, 'q')
    const time = readNumber(entry, 'T')
    if (
      !Number.isFinite(id) ||
      !Number.isFinite(price) ||
      !Number.isFinite(amount) ||
      typeof entry.m !== 'boolean'
    )
      return null
    return {
      kind: 'trade',
      venue: 'binance',
      market: state.market,
      symbol: state.symbol,
      venueSymbol: state.venueSymbol,
      exchangeTime: Number.isFinite(time) ? time : null,
      receivedAt: nowMs(),
      id: String(id),
      price,
      amount,
      side: entry.m ? 'sell' : 'buy',
    }
  }

  private gap(
    state: TradeState,
    fromId: string,
    toId: string,
    fromTime: number | null,
    toTime: number | null,
    reason: string,
  ): void {
    const event: GapEvent = {
      kind: 'gap',
      venue: 'binance',
      market: state.market,
      symbol: state.symbol,
      venueSymbol: state.venueSymbol,
      exchangeTime: null,
      receivedAt: nowMs(),
      channel: 'trades',
      fromId,
      toId,
      fromTime,
      toTime,
      reason,
    }
    this.options.emit(event)
  }
}
