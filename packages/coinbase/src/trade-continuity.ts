import type { GapEvent, MarketEvent, StatusEvent, TradeEvent } from '@tickmesh/core'
import { nowMs } from '@tickmesh/core'

/** Fetches the trades with `fromId < id < toId`, oldest first; may return fewer (history reach). */
export type TradeBackfill = (productId: string, fromId: number, toId: number) => Promise<TradeEvent[]>

export interface TradeContinuityOptions {
  productId: string
  symbol: string
  backfill: TradeBackfill
  emit: (event: MarketEvent) => void
  /** Called with each trade emitted in order (candles are built from these). */
  onTrade: (trade: TradeEvent) => void
  maxPending: number
  backfillLimit: number
}

/**
 * Keeps one product's trade stream complete and in order. Coinbase trade ids step by 1 per product;
 * the `matches` channel can drop messages. A jump in ids (or a heartbeat `last_trade_id` ahead of
 * the last trade, seen twice) starts a REST backfill; live trades wait (bounded) meanwhile, so trades
 * are emitted strictly in id order. What REST cannot return becomes a `gap` event.
 */
export class TradeContinuity {
  lastId: number | null = null
  private readonly pending: TradeEvent[] = []
  private busy = false
  private suspectedLastId: number | null = null
  private closed = false

  constructor(private readonly options: TradeContinuityOptions) {}

  /** The first message of a subscription (`last_match`): sets the baseline without emitting it. */
  baseline(trade: TradeEvent): void {
    if (this.lastId === null) {
      this.lastId = Number(trade.id)
      return
    }
    // After a reconnect, last_match tells which trades were missed while away.
    this.push(trade)
  }

  push(trade: TradeEvent): void {
    if (this.closed) return
    if (this.pending.length >= this.options.maxPending) {
      // Memory stays bounded: the oldest held trade is dropped here and fetched again over REST by
      // the next backfill (or reported as a gap when REST cannot return it).
      this.pending.shift()
    }
    this.pending.push(trade)
    this.drain()
  }

  /** Heartbeat `last_trade_id`: a trade we never got, once confirmed by the next heartbeat, is fetched. */
  heartbeat(lastTradeId: number): void {
    if (this.closed || this.lastId === null || this.busy || this.pending.length > 0) return
    if (lastTradeId <= this.lastId) {
      this.suspectedLastId = null
      return
    }
    // The match may still be on its way on another connection: act on the second sighting.
    if (this.suspectedLastId !== null && this.suspectedLastId <= lastTradeId) {
      const target = this.suspectedLastId
      this.suspectedLastId = null
      this.fill(this.lastId, target + 1)
      return
    }
    this.suspectedLastId = lastTradeId
  }

  close(): void {
    this.closed = true
    this.pending.length = 0
  }

  private drain(): void {
    while (!this.busy && !this.closed && this.pending.length > 0) {
      const trade = this.pending[0] as TradeEvent
      const id = Number(trade.id)
      if (this.lastId === null || id === this.lastId + 1) {
        this.pending.shift()
        this.lastId = id
        this.options.emit(trade)
        this.options.onTrade(trade)
        continue
      }
      if (id <= this.lastId) {
        // Already emitted (a backfill got it first, or a replayed last_match).
        this.pending.shift()
        continue
      }
      this.fill(this.lastId, id)
    }
  }

  private fill(fromId: number, toId: number): void {
    this.busy = true
    this.status('resyncing', `missed trades ${fromId + 1}…${toId - 1}; backfilling from REST`)
    const wanted = toId - fromId - 1
    const limit = Math.min(wanted, this.options.backfillLimit)
    // Beyond the limit, only the most recent `limit` trades are fetched; the older part is a gap.
    const start = toId - limit - 1
    if (start > fromId)
      this.reportGap(fromId, start + 1, `more than ${this.options.backfillLimit} trades missed`)
    this.options
      .backfill(this.options.productId, start, toId)
      .then(
        (trades) => {
          if (this.closed) return
          let last = start
          for (const trade of trades) {
            const id = Number(trade.id)
            if (id <= last || id >= toId) continue
            if (id > last + 1) this.reportGap(last, id, 'the venue did not return these trades')
            last = id
            this.options.emit(trade)
            this.options.onTrade(trade)
          }
          if (last < toId - 1) this.reportGap(last, toId, 'the venue did not return these trades')
          this.lastId = Math.max(this.lastId ?? 0, toId - 1)
          this.status('open', 'trade stream complete again')
        },
        (error: unknown) => {
          if (this.closed) return
          const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
          this.reportGap(start, toId, `REST backfill failed: ${reason}`)
          this.lastId = Math.max(this.lastId ?? 0, toId - 1)
          this.status('open', 'trade stream continues after an unfilled gap')
        },
      )
      .finally(() => {
        this.busy = false
        this.drain()
      })
  }

  private reportGap(lastId: number | null, nextId: number, reason: string): void {
    const event: GapEvent = {
      kind: 'gap',
      venue: 'coinbase',
      market: 'spot',
      symbol: this.options.symbol,
      venueSymbol: this.options.productId,
      exchangeTime: null,
      receivedAt: nowMs(),
      channel: 'trades',
      fromId: lastId === null ? null : String(lastId),
      toId: String(nextId),
      fromTime: null,
      toTime: null,
      reason,
    }
    this.options.emit(event)
  }

  private status(state: 'resyncing' | 'open', reason: string): void {
    const event: StatusEvent = {
      kind: 'status',
      venue: 'coinbase',
      market: 'spot',
      state,
      reason,
      symbol: this.options.symbol,
      channel: 'trades',
      url: null,
      attempt: 0,
      receivedAt: nowMs(),
    }
    this.options.emit(event)
  }
}
