import type { Market } from '@tickmesh/core'
import type { SimBookChange, SimInstrument, SimLevel, SimMarket, SimTrade } from '../../sim-types'
import type { DepthBatch, KlineState } from './binance-frames'
import {
  aggTradeFrame,
  bookTickerFrame,
  depthUpdateFrame,
  klineFrame,
  partialDepthFrame,
  tickerFrame,
  tradeFrame,
} from './binance-frames'
import type { BinanceStream } from './binance-streams'
import { parseBinanceStream } from './binance-streams'

/** What the hub needs of a client connection: send a payload for a stream it subscribed. */
export interface StreamSink {
  sendStream(streamName: string, payload: string): void
}

const DEPTH_CADENCES_MS = [100, 250, 1000] as const

interface InstrumentState {
  instrument: SimInstrument
  lower: string
  /** Depth diffs accumulated per cadence since the last flush; U/u continue across flushes. */
  batches: Map<number, DepthBatch>
  lastFinalId: Map<number, number>
  /** A sequenceGap fault: the next non-empty batch of each cadence is never sent. */
  dropNext: Set<number>
  lastTop: string
}

export interface StreamHubOptions {
  market: SimMarket
  /** Messages/s per stream for the timed streams (ticker, kline, partial depth); venue cadence otherwise. */
  rate?: number
  firehose?: boolean
}

/**
 * Produces every market stream of both Binance markets from the shared SimMarket and fans each frame
 * out to the connections that subscribed it. Depth diffs are batched per cadence (100 ms, 250 ms
 * futures default, 1000 ms spot default) with U/u contiguous across batches and `pu` chaining.
 */
export class BinanceStreamHub {
  private readonly market: SimMarket
  private readonly subscribers = new Map<string, Set<StreamSink>>()
  private readonly parsed = new Map<string, BinanceStream>()
  private readonly states = new Map<string, InstrumentState>()
  private readonly bySymbol = new Map<Market, Map<string, SimInstrument>>()
  private readonly klines = new Map<string, KlineState>()
  private readonly unsubscribeMarket: (() => void)[] = []
  private readonly timer: ReturnType<typeof setInterval>
  private readonly lastRun = new Map<string, number>()
  private readonly timedIntervalMs: number | null
  private readonly firehose: boolean

  constructor(options: StreamHubOptions) {
    this.market = options.market
    this.firehose = options.firehose ?? false
    this.timedIntervalMs =
      options.rate && options.rate > 0 ? Math.max(10, Math.round(1000 / options.rate)) : null
    for (const instrument of this.market.instruments('binance')) {
      let map = this.bySymbol.get(instrument.market)
      if (!map) {
        map = new Map()
        this.bySymbol.set(instrument.market, map)
      }
      map.set(instrument.venueSymbol, instrument)
      const batches = new Map<number, DepthBatch>()
      this.states.set(keyOf(instrument), {
        instrument,
        lower: instrument.venueSymbol.toLowerCase(),
        batches,
        lastFinalId: new Map(),
        dropNext: new Set(),
        lastTop: '',
      })
    }
    this.unsubscribeMarket.push(this.market.onBook((change) => this.onBook(change)))
    this.unsubscribeMarket.push(this.market.onTrade((trade) => this.onTrade(trade)))
    this.timer = setInterval(() => this.tick(), 50)
    this.timer.unref?.()
  }

  instruments(market: Market): ReadonlyMap<string, SimInstrument> {
    return this.bySymbol.get(market) ?? new Map()
  }

  /** The stream, or null when Binance would answer "invalid stream". */
  parse(name: string, market: Market): BinanceStream | null {
    const key = `${market}:${name}`
    const cached = this.parsed.get(key)
    if (cached) return cached
    const stream = parseBinanceStream(name, this.instruments(market), market)
    if (stream) this.parsed.set(key, stream)
    return stream
  }

  subscribe(stream: BinanceStream, sink: StreamSink): void {
    const key = `${stream.instrument.market}:${stream.name}`
    let set = this.subscribers.get(key)
    if (!set) {
      set = new Set()
      this.subscribers.set(key, set)
    }
    set.add(sink)
    if (stream.kind === 'kline' && !this.klines.has(key)) this.klines.set(key, this.newKline(stream))
  }

  unsubscribe(stream: BinanceStream, sink: StreamSink): void {
    const key = `${stream.instrument.market}:${stream.name}`
    const set = this.subscribers.get(key)
    if (!set) return
    set.delete(sink)
    if (set.size === 0) {
      this.subscribers.delete(key)
      this.klines.delete(key)
    }
  }

  /** Arms a sequence gap on every depth cadence of the matching instruments (all when no symbol). */
  injectGap(symbol: string | undefined): void {
    for (const state of this.states.values()) {
      const instrument = state.instrument
      if (
        symbol === undefined ||
        symbol === instrument.symbol ||
        symbol.toUpperCase() === instrument.venueSymbol
      ) {
        for (const cadence of DEPTH_CADENCES_MS) state.dropNext.add(cadence)
      }
    }
  }

  close(): void {
    clearInterval(this.timer)
    for (const unsubscribe of this.unsubscribeMarket) unsubscribe()
    this.subscribers.clear()
    this.klines.clear()
  }

  private publish(market: Market, streamName: string, payload: string): void {
    const set = this.subscribers.get(`${market}:${streamName}`)
    if (!set) return
    for (const sink of set) sink.sendStream(streamName, payload)
  }

  private hasSubscribers(market: Market, streamName: string): boolean {
    return this.subscribers.has(`${market}:${streamName}`)
  }

  private onBook(change: SimBookChange): void {
    const instrument = change.instrument
    if (instrument.venue !== 'binance') return
    const state = this.states.get(keyOf(instrument))
    if (!state) return
    for (const cadence of DEPTH_CADENCES_MS) {
      let batch = state.batches.get(cadence)
      if (!batch) {
        const previous = state.lastFinalId.get(cadence) ?? change.updateId - 1
        batch = {
          firstUpdateId: change.updateId,
          finalUpdateId: change.updateId,
          previousFinalUpdateId: previous,
          bids: new Map(),
          asks: new Map(),
        }
        state.batches.set(cadence, batch)
      }
      batch.finalUpdateId = change.updateId
      for (const level of change.bids) batch.bids.set(level[0], level[1])
      for (const level of change.asks) batch.asks.set(level[0], level[1])
    }
    if (this.firehose) this.flushDepth(state, true)
    const bookTickerName = `${state.lower}@bookTicker`
    if (this.hasSubscribers(instrument.market, bookTickerName)) {
      const top = this.market.book(instrument, 1)
      const bid: SimLevel | undefined = top.bids[0]
      const ask: SimLevel | undefined = top.asks[0]
      const signature = `${bid?.[0]}:${bid?.[1]}:${ask?.[0]}:${ask?.[1]}`
      if (signature !== state.lastTop) {
        state.lastTop = signature
        this.publish(
          instrument.market,
          bookTickerName,
          bookTickerFrame(instrument, top.updateId, bid, ask, change.time),
        )
      }
    }
  }

  private onTrade(trade: SimTrade): void {
    const instrument = trade.instrument
    if (instrument.venue !== 'binance') return
    const lower = instrument.venueSymbol.toLowerCase()
    const now = this.market.now()
    const aggName = `${lower}@aggTrade`
    if (this.hasSubscribers(instrument.market, aggName))
      this.publish(instrument.market, aggName, aggTradeFrame(trade, now))
    const tradeName = `${lower}@trade`
    if (this.hasSubscribers(instrument.market, tradeName))
      this.publish(instrument.market, tradeName, tradeFrame(trade, now))
    for (const [key, kline] of this.klines) {
      if (!key.startsWith(`${instrument.market}:${lower}@kline_`)) continue
      this.rollKline(key, kline, instrument, trade.time)
      const state = this.klines.get(key) as KlineState
      const priceTicks = trade.priceTicks
      if (state.count === 0) {
        state.openTicks = priceTicks
        state.highTicks = priceTicks
        state.lowTicks = priceTicks
        state.firstTradeId = trade.id
      }
      state.closeTicks = priceTicks
      if (priceTicks > state.highTicks) state.highTicks = priceTicks
      if (priceTicks < state.lowTicks) state.lowTicks = priceTicks
      state.lastTradeId = trade.id
      state.count++
      state.volumeLots += trade.sizeLots
      const quote = priceTicks * instrument.tickSize * trade.sizeLots * instrument.lotSize
      state.quoteVolume += quote
      if (trade.side === 'buy') {
        state.takerBuyLots += trade.sizeLots
        state.takerBuyQuote += quote
      }
    }
  }

  /** Closes the kline when `time` is past its end: sends the final `x:true` frame, starts the next. */
  private rollKline(key: string, kline: KlineState, instrument: SimInstrument, time: number): void {
    if (time < kline.openTime + kline.intervalMs) return
    const streamName = key.slice(key.indexOf(':') + 1)
    this.publish(instrument.market, streamName, klineFrame(instrument, kline, this.market.now(), true))
    const openTime = Math.floor(time / kline.intervalMs) * kline.intervalMs
    this.klines.set(key, {
      ...kline,
      openTime,
      firstTradeId: -1,
      lastTradeId: -1,
      openTicks: kline.closeTicks,
      highTicks: kline.closeTicks,
      lowTicks: kline.closeTicks,
      volumeLots: 0,
      quoteVolume: 0,
      takerBuyLots: 0,
      takerBuyQuote: 0,
      count: 0,
    })
  }

  private newKline(stream: Extract<BinanceStream, { kind: 'kline' }>): KlineState {
    const now = this.market.now()
    const last = this.market.stats24h(stream.instrument).lastTicks
    return {
      openTime: Math.floor(now / stream.intervalMs) * stream.intervalMs,
      intervalMs: stream.intervalMs,
      interval: stream.interval,
      firstTradeId: -1,
      lastTradeId: -1,
      openTicks: last,
      highTicks: last,
      lowTicks: last,
      closeTicks: last,
      volumeLots: 0,
      quoteVolume: 0,
      takerBuyLots: 0,
      takerBuyQuote: 0,
      count: 0,
    }
  }

  private flushDepth(state: InstrumentState, all: boolean, cadence?: number): void {
    const instrument = state.instrument
    for (const candidate of DEPTH_CADENCES_MS) {
      if (!all && candidate !== cadence) continue
      const batch = state.batches.get(candidate)
      if (!batch) continue
      state.batches.delete(candidate)
      state.lastFinalId.set(candidate, batch.finalUpdateId)
      if (state.dropNext.delete(candidate)) continue
      const name = depthStreamName(state.lower, instrument.market, candidate)
      if (name === null || !this.hasSubscribers(instrument.market, name)) continue
      this.publish(instrument.market, name, depthUpdateFrame(instrument, batch, this.market.now()))
    }
  }

  /** True (and marks the run) when the job `name` last ran at least `periodMs` ago. */
  private due(name: string, periodMs: number, now: number): boolean {
    const last = this.lastRun.get(name) ?? 0
    // The 50 ms tick jitters; accept a run a few ms early rather than skip a whole period.
    if (now - last < periodMs - 10) return false
    this.lastRun.set(name, now)
    return true
  }

  private tick(): void {
    const now = performance.now()
    if (!this.firehose) {
      for (const cadence of DEPTH_CADENCES_MS) {
        if (!this.due(`depth${cadence}`, cadence, now)) continue
        for (const state of this.states.values()) this.flushDepth(state, false, cadence)
      }
    }
    const fast = this.timedIntervalMs ?? 100
    const slow = this.timedIntervalMs ?? 1000
    const klineSlow = this.timedIntervalMs ?? 2000
    const runFast = this.due('fast', fast, now)
    const runSlow = this.due('slow', slow, now)
    const runKline = this.due('kline', klineSlow, now)
    if (!runFast && !runSlow && !runKline) return
    for (const key of this.subscribers.keys()) {
      const stream = this.parsed.get(key)
      if (!stream) continue
      const instrument = stream.instrument
      if (stream.kind === 'partialDepth' && (stream.intervalMs === 100 ? runFast : runSlow)) {
        this.publish(
          instrument.market,
          stream.name,
          partialDepthFrame(this.market, instrument, stream.levels),
        )
      } else if ((stream.kind === 'ticker' || stream.kind === 'miniTicker') && runSlow) {
        this.publish(
          instrument.market,
          stream.name,
          tickerFrame(this.market, instrument, stream.kind === 'miniTicker'),
        )
      } else if (stream.kind === 'kline' && (stream.intervalMs === 1000 ? runSlow : runKline)) {
        const kline = this.klines.get(key)
        if (!kline) continue
        const time = this.market.now()
        this.rollKline(key, kline, instrument, time)
        const current = this.klines.get(key) as KlineState
        this.publish(instrument.market, stream.name, klineFrame(instrument, current, time, false))
      }
    }
  }
}

function keyOf(instrument: SimInstrument): string {
  return `${instrument.market}:${instrument.venueSymbol}`
}

function depthStreamName(lower: string, market: Market, cadence: number): string | null {
  if (cadence === 100) return `${lower}@depth@100ms`
  if (cadence === 1000 && market === 'spot') return `${lower}@depth`
  if (cadence === 250 && market !== 'spot') return `${lower}@depth`
  return null
}
