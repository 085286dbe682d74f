import type { Outbound } from '../../shared/index'
import type { SimInstrument, SimLevel, SimMarket, SimTrade } from '../../sim-types'
import type { KlineState } from './bybit-frames'
import { bookFrame, klineFrame } from './bybit-frames'
import { tickerFields } from './bybit-ticker-fields'

// A feed is one public topic of one category (`orderbook.50.BTCUSDT` on linear). Its sequence (`u`,
// `cs`) is global like the real venue's: every subscriber sees the same frames, and a new subscriber
// gets a snapshot of the state the next delta applies to.

export interface FeedSubscriber {
  readonly outbound: Outbound
}

export interface FeedContext {
  market: SimMarket
  /** Sends on every market change (benchmarks) instead of at the venue's cadence. */
  firehose: boolean
  tickDirection(instrument: SimInstrument): string
  nextFundingTime(): number
}

export abstract class Feed {
  readonly subscribers = new Set<FeedSubscriber>()
  private timer: ReturnType<typeof setTimeout> | null = null
  private lastFlushAt = Number.NEGATIVE_INFINITY

  constructor(
    readonly context: FeedContext,
    readonly category: 'spot' | 'linear',
    readonly topic: string,
    readonly instrument: SimInstrument,
    readonly cadenceMs: number,
  ) {}

  /** The market changed: flush now, or at the end of the current cadence window. */
  request(): void {
    if (this.subscribers.size === 0) return
    if (this.context.firehose) {
      this.flush()
      return
    }
    const now = performance.now()
    if (now - this.lastFlushAt >= this.cadenceMs) {
      this.run()
      return
    }
    if (this.timer === null)
      this.timer = setTimeout(() => this.run(), this.lastFlushAt + this.cadenceMs - now)
  }

  /** Adds a subscriber and sends it the topic's initial frame (if the topic has one). */
  add(subscriber: FeedSubscriber): void {
    const wasIdle = this.subscribers.size === 0
    this.subscribers.add(subscriber)
    this.start(subscriber, wasIdle)
  }

  remove(subscriber: FeedSubscriber): void {
    this.subscribers.delete(subscriber)
    if (this.subscribers.size === 0) this.clearTimer()
  }

  protected broadcast(frame: string): void {
    for (const subscriber of this.subscribers) subscriber.outbound.send(frame)
  }

  protected abstract flush(): void
  protected abstract start(subscriber: FeedSubscriber, wasIdle: boolean): void

  close(): void {
    this.clearTimer()
    this.subscribers.clear()
  }

  private run(): void {
    this.timer = null
    this.lastFlushAt = performance.now()
    this.flush()
  }

  private clearTimer(): void {
    if (this.timer === null) return
    clearTimeout(this.timer)
    this.timer = null
  }
}

function levelMap(levels: readonly SimLevel[]): Map<number, number> {
  const map = new Map<number, number>()
  for (const [price, size] of levels) map.set(price, size)
  return map
}

/** Levels of `next` that differ from `previous`, plus removed ones with size 0, best first. */
function diffLevels(previous: readonly SimLevel[], next: readonly SimLevel[], isBid: boolean): SimLevel[] {
  const before = levelMap(previous)
  const after = levelMap(next)
  const changes: SimLevel[] = []
  for (const [price, size] of next) if (before.get(price) !== size) changes.push([price, size])
  for (const [price] of previous) if (!after.has(price)) changes.push([price, 0])
  changes.sort(isBid ? (a, b) => b[0] - a[0] : (a, b) => a[0] - b[0])
  return changes
}

/** `orderbook.{depth}.{symbol}`: snapshot, then deltas with `u` + 1 each; depth 1 is snapshot-only. */
export class BookFeed extends Feed {
  updateId: number
  bids: readonly SimLevel[] = []
  asks: readonly SimLevel[] = []
  crossSequence = 0
  /** Time of the last frame sent (orderbook.1 is re-sent after 3 s without change). */
  lastSentAt = 0
  /** A `sequenceGap` fault: the next change advances `u` without being sent. */
  dropNext = false

  constructor(
    context: FeedContext,
    category: 'spot' | 'linear',
    topic: string,
    instrument: SimInstrument,
    cadenceMs: number,
    readonly depth: number,
    firstUpdateId: number,
  ) {
    super(context, category, topic, instrument, cadenceMs)
    this.updateId = firstUpdateId
  }

  protected start(subscriber: FeedSubscriber, wasIdle: boolean): void {
    if (wasIdle) {
      // Nothing was flushed while idle: take the book afresh under a new update id.
      const book = this.context.market.book(this.instrument, this.depth)
      this.bids = book.bids
      this.asks = book.asks
      this.crossSequence = book.updateId
      this.updateId++
    }
    subscriber.outbound.send(this.frame('snapshot', this.bids, this.asks))
  }

  protected flush(): void {
    const book = this.context.market.book(this.instrument, this.depth)
    const bidChanges = diffLevels(this.bids, book.bids, true)
    const askChanges = diffLevels(this.asks, book.asks, false)
    if (bidChanges.length === 0 && askChanges.length === 0) return
    this.bids = book.bids
    this.asks = book.asks
    this.crossSequence = book.updateId
    this.updateId++
    if (this.dropNext) {
      this.dropNext = false
      return
    }
    this.broadcast(
      this.depth === 1
        ? this.frame('snapshot', this.bids, this.asks)
        : this.frame('delta', bidChanges, askChanges),
    )
  }

  /** orderbook.1 re-sends its snapshot, same `u`, after `quietMs` without change. */
  resendIfQuiet(quietMs: number): void {
    if (this.depth !== 1 || this.subscribers.size === 0) return
    if (this.context.market.now() - this.lastSentAt < quietMs) return
    this.broadcast(this.frame('snapshot', this.bids, this.asks))
  }

  private frame(type: 'snapshot' | 'delta', bids: readonly SimLevel[], asks: readonly SimLevel[]): string {
    this.lastSentAt = this.context.market.now()
    return bookFrame(
      this.category,
      this.topic,
      type,
      this.instrument,
      bids,
      asks,
      this.updateId,
      this.crossSequence,
      this.lastSentAt,
    )
  }
}

/** `tickers.{symbol}`: spot sends snapshots only; linear a snapshot, then deltas of changed fields. */
export class TickerFeed extends Feed {
  private fields: Record<string, string> | null = null
  private crossSequence = 0

  protected start(subscriber: FeedSubscriber, wasIdle: boolean): void {
    if (wasIdle || this.fields === null) this.fields = this.current()
    subscriber.outbound.send(this.frame('snapshot', this.fields))
  }

  protected flush(): void {
    const next = this.current()
    const previous = this.fields
    this.fields = next
    if (previous === null || this.category === 'spot') {
      if (previous !== null && sameFields(previous, next)) return
      this.broadcast(this.frame('snapshot', next))
      return
    }
    const delta: Record<string, string> = { symbol: next.symbol ?? this.instrument.venueSymbol }
    let changed = 0
    for (const key in next) {
      if (next[key] !== previous[key]) {
        delta[key] = next[key] as string
        changed++
      }
    }
    if (changed > 0) this.broadcast(this.frame('delta', delta))
  }

  private current(): Record<string, string> {
    const market = this.context.market
    const top = market.book(this.instrument, 1)
    this.crossSequence = top.updateId
    return tickerFields(
      this.category,
      this.instrument,
      market.stats24h(this.instrument),
      top.bids[0],
      top.asks[0],
      this.context.tickDirection(this.instrument),
      this.context.nextFundingTime(),
    )
  }

  private frame(type: 'snapshot' | 'delta', data: Record<string, string>): string {
    const ts = this.context.market.now()
    return this.category === 'spot'
      ? JSON.stringify({ topic: this.topic, ts, type, cs: this.crossSequence, data })
      : JSON.stringify({ topic: this.topic, type, data, cs: this.crossSequence, ts })
  }
}

function sameFields(a: Record<string, string>, b: Record<string, string>): boolean {
  for (const key in b) if (a[key] !== b[key]) return false
  return true
}

/** `kline.{interval}.{symbol}`: the open candle, built from the true trades; `confirm:true` when it closes. */
export class KlineFeed extends Feed {
  private state: KlineState | null = null

  constructor(
    context: FeedContext,
    category: 'spot' | 'linear',
    topic: string,
    instrument: SimInstrument,
    cadenceMs: number,
    readonly interval: string,
    readonly intervalMs: number,
  ) {
    super(context, category, topic, instrument, cadenceMs)
  }

  onTrade(trade: SimTrade): void {
    if (this.subscribers.size === 0) return
    const state = this.roll(trade.time)
    if (trade.priceTicks > state.highTicks) state.highTicks = trade.priceTicks
    if (trade.priceTicks < state.lowTicks) state.lowTicks = trade.priceTicks
    state.closeTicks = trade.priceTicks
    state.volumeLots += trade.sizeLots
    state.turnover += trade.priceTicks * this.instrument.tickSize * trade.sizeLots * this.instrument.lotSize
    this.request()
  }

  protected start(subscriber: FeedSubscriber): void {
    const now = this.context.market.now()
    subscriber.outbound.send(klineFrame(this.category, this.instrument, this.roll(now), false, now))
  }

  protected flush(): void {
    const now = this.context.market.now()
    this.broadcast(klineFrame(this.category, this.instrument, this.roll(now), false, now))
  }

  /** The candle open at `time`; a finished one is sent confirmed first. */
  private roll(time: number): KlineState {
    const start = Math.floor(time / this.intervalMs) * this.intervalMs
    const state = this.state
    if (state !== null && state.start === start) return state
    let openTicks: number
    if (state !== null) {
      if (this.subscribers.size > 0) {
        this.broadcast(
          klineFrame(this.category, this.instrument, state, true, state.start + this.intervalMs - 1),
        )
      }
      openTicks = state.closeTicks
    } else {
      // The first candle is built from the true trades already in its interval.
      const fromHistory = this.fromHistory(start)
      if (fromHistory !== null) {
        this.state = fromHistory
        return fromHistory
      }
      openTicks = this.context.market.stats24h(this.instrument).lastTicks
    }
    const next: KlineState = {
      start,
      intervalMs: this.intervalMs,
      interval: this.interval,
      openTicks,
      highTicks: openTicks,
      lowTicks: openTicks,
      closeTicks: openTicks,
      volumeLots: 0,
      turnover: 0,
    }
    this.state = next
    return next
  }

  private fromHistory(start: number): KlineState | null {
    const trades = this.context.market.trades(this.instrument)
    let first = trades.length
    while (first > 0 && (trades[first - 1] as SimTrade).time >= start) first--
    if (first === trades.length) return null
    const opening = trades[first] as SimTrade
    const state: KlineState = {
      start,
      intervalMs: this.intervalMs,
      interval: this.interval,
      openTicks: opening.priceTicks,
      highTicks: opening.priceTicks,
      lowTicks: opening.priceTicks,
      closeTicks: opening.priceTicks,
      volumeLots: 0,
      turnover: 0,
    }
    for (let index = first; index < trades.length; index++) {
      const trade = trades[index] as SimTrade
      if (trade.priceTicks > state.highTicks) state.highTicks = trade.priceTicks
      if (trade.priceTicks < state.lowTicks) state.lowTicks = trade.priceTicks
      state.closeTicks = trade.priceTicks
      state.volumeLots += trade.sizeLots
      state.turnover += trade.priceTicks * this.instrument.tickSize * trade.sizeLots * this.instrument.lotSize
    }
    return state
  }
}
