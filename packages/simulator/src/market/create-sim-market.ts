import { ConfigError, type Market, VENUES, type VenueId } from '@tickmesh/core'
import type { SimBookChange, SimInstrument, SimLevel, SimMarket, SimStats24h, SimTrade } from '../sim-types'
import { BookSide } from './book-side'
import {
  DEFAULT_FAIR_PRICES,
  DEFAULT_LEVEL_SIZES,
  DEFAULT_VENUE_QUOTING,
  defaultInstruments,
  type VenueQuoting,
} from './default-instruments'
import { createPrng, type Prng } from './prng'

export interface SimMarketOptions {
  seed: number
  /** Instruments to quote (default: BTC/ETH/SOL on all four venues, see `defaultInstruments`). */
  instruments?: readonly SimInstrument[]
  /** Standard deviation of the fair price's relative move per tick. Default 0.00003. */
  volatility?: number
  /** Real-time cadence of `start()`: one market tick every this many ms. Default 50 (20 ticks/s). */
  tickIntervalMs?: number
  /** Wall clock for event times and `now()`. Default `Date.now`. */
  clock?: () => number
  /** Starting fair price per base asset. Default BTC 60 000, ETH 3 000, SOL 150, others 100. */
  fairPrices?: Readonly<Record<string, number>>
  /** Per-venue spread (bps), fair-price lag (ticks) and depth (levels per side). */
  quoting?: Partial<Record<VenueId, Partial<VenueQuoting>>>
  /** Probability that an instrument trades on a tick. Default 0.25. */
  tradeProbability?: number
  /** Chance per tick that a venue dislocates (when none is). Default 1/300 (about every 15 s at 20 ticks/s). */
  dislocationProbability?: number
  /** Trades kept per instrument. Default 100 000. */
  tradeHistoryLimit?: number
  /** A listener threw; the market goes on. Default: logs to stderr. */
  onListenerError?: (error: unknown) => void
}

/** The venue currently quoting away from the fair price, if any. */
export interface SimDislocation {
  venue: VenueId
  /** Relative shift of its quotes, e.g. 0.002 = +0.2 %. */
  shift: number
  /** Ticks left. */
  remainingTicks: number
}

export interface SimMarketControl extends SimMarket {
  /** Runs ticks on a timer at `tickIntervalMs` (catching up at most 20 ticks after a stall). */
  start(): void
  stop(): void
  /** Advances `count` ticks synchronously (deterministic tests). */
  step(count?: number): void
  readonly running: boolean
  /** Ticks run so far. */
  readonly tickCount: number
  readonly tickIntervalMs: number
  allInstruments(): readonly SimInstrument[]
  /** The latent fair price of a base asset. */
  fairPrice(base: string): number | undefined
  dislocation(): SimDislocation | null
}

interface InstrumentState {
  instrument: SimInstrument
  quoting: VenueQuoting
  asset: AssetState
  bids: BookSide
  asks: BookSide
  updateId: number
  nextTradeId: number
  trades: SimTrade[]
  /** Mean gap between levels and mean level size. */
  gapTicks: number
  levelLots: number
  stats: SimStats24h
  /** Levels changed during the current tick (price → new size), bids and asks. */
  pendingBids: Map<number, number>
  pendingAsks: Map<number, number>
}

interface AssetState {
  /** Most recent fair prices, newest first, for each venue's lag. */
  history: number[]
}

const MAX_LAG = 8
const MAX_CATCH_UP_TICKS = 20
const MAX_NEW_LEVELS_PER_TICK = 12

/** The deterministic latent market every simulated venue quotes around. */
export function createSimMarket(options: SimMarketOptions): SimMarketControl {
  const seed = options.seed
  if (!Number.isInteger(seed)) {
    throw new ConfigError('The simulator seed must be an integer.', {
      details: { seed },
      hint: 'Pass e.g. seed: 1.',
    })
  }
  const random: Prng = createPrng(seed)
  const volatility = options.volatility ?? 0.00003
  const tickIntervalMs = options.tickIntervalMs ?? 50
  if (!(tickIntervalMs > 0)) {
    throw new ConfigError('tickIntervalMs must be positive.', { details: { tickIntervalMs } })
  }
  const clock = options.clock ?? Date.now
  const tradeProbability = options.tradeProbability ?? 0.25
  const dislocationProbability = options.dislocationProbability ?? 1 / 300
  const tradeHistoryLimit = options.tradeHistoryLimit ?? 100_000
  const onListenerError =
    options.onListenerError ??
    ((error: unknown) => console.error('tickmesh simulator listener failed:', error))
  const fairStart = { ...DEFAULT_FAIR_PRICES, ...options.fairPrices }
  const instruments = options.instruments ?? defaultInstruments()

  const assets = new Map<string, AssetState>()
  const states: InstrumentState[] = []
  const byVenue = new Map<VenueId, InstrumentState[]>()
  const bookListeners = new Set<(change: SimBookChange) => void>()
  const tradeListeners = new Set<(trade: SimTrade) => void>()
  let dislocation: SimDislocation | null = null
  let tickCount = 0
  let timer: ReturnType<typeof setInterval> | null = null
  let startedAt = 0
  let ticksSinceStart = 0

  for (const instrument of instruments) {
    let asset = assets.get(instrument.base)
    if (asset === undefined) {
      const price = fairStart[instrument.base] ?? 100
      asset = { history: new Array<number>(MAX_LAG).fill(price) }
      assets.set(instrument.base, asset)
    }
    const quoting = { ...DEFAULT_VENUE_QUOTING[instrument.venue], ...options.quoting?.[instrument.venue] }
    const fair = asset.history[0] as number
    const baseSize = (DEFAULT_LEVEL_SIZES[instrument.base] ?? 10) / (instrument.contractValue ?? 1)
    const state: InstrumentState = {
      instrument,
      quoting,
      asset,
      bids: new BookSide(true),
      asks: new BookSide(false),
      updateId: 1,
      nextTradeId: 1,
      trades: [],
      gapTicks: Math.max(1, Math.round((fair * 0.00002) / instrument.tickSize)),
      levelLots: Math.max(1, Math.round(baseSize / instrument.lotSize)),
      stats: {
        openTicks: 0,
        highTicks: 0,
        lowTicks: 0,
        lastTicks: 0,
        baseVolumeLots: 0,
        quoteVolume: 0,
      },
      pendingBids: new Map(),
      pendingAsks: new Map(),
    }
    requote(state)
    state.pendingBids.clear()
    state.pendingAsks.clear()
    seedStats(state)
    states.push(state)
    const list = byVenue.get(instrument.venue) ?? []
    list.push(state)
    byVenue.set(instrument.venue, list)
  }
  const stateOf = new Map<SimInstrument, InstrumentState>()
  for (const state of states) stateOf.set(state.instrument, state)

  function seedStats(state: InstrumentState): void {
    // A plausible 24 h history so tickers are not all zeros at start.
    const { bids, asks, stats } = state
    const mid = Math.round(((bids.best() ?? 0) + (asks.best() ?? 0)) / 2)
    stats.openTicks = Math.round(mid * (1 + random.normal() * 0.01))
    stats.highTicks = Math.max(mid, stats.openTicks) + Math.round(mid * 0.005 * random.next())
    stats.lowTicks = Math.min(mid, stats.openTicks) - Math.round(mid * 0.005 * random.next())
    stats.lastTicks = mid
    stats.baseVolumeLots = state.levelLots * random.int(5_000, 20_000)
    stats.quoteVolume =
      stats.baseVolumeLots *
      state.instrument.lotSize *
      (state.instrument.contractValue ?? 1) *
      mid *
      state.instrument.tickSize
  }

  function randomSize(state: InstrumentState): number {
    // Exponential-ish sizes: many small levels, a few large ones.
    return Math.max(1, Math.round(state.levelLots * -Math.log(1 - random.next() * 0.999)))
  }

  function randomGap(state: InstrumentState): number {
    return Math.max(1, Math.round(state.gapTicks * (0.3 + 1.4 * random.next())))
  }

  function setLevel(state: InstrumentState, isBid: boolean, price: number, size: number): void {
    const side = isBid ? state.bids : state.asks
    if (side.size(price) === size) return
    side.set(price, size)
    ;(isBid ? state.pendingBids : state.pendingAsks).set(price, size)
  }

  /** Moves the top to the venue's target quotes, keeps `depth` levels and perturbs sizes. */
  function requote(state: InstrumentState): void {
    const { instrument, quoting } = state
    const fair = state.asset.history[Math.min(quoting.lagTicks, MAX_LAG - 1)] as number
    const shift = dislocation !== null && dislocation.venue === instrument.venue ? dislocation.shift : 0
    const midTicks = (fair * (1 + shift)) / instrument.tickSize
    const half = Math.max(0.5, (midTicks * quoting.spreadBps) / 20_000)
    const targetBid = Math.floor(midTicks - half)
    const targetAsk = Math.max(targetBid + 1, Math.ceil(midTicks + half))
    moveTop(state, true, targetBid)
    moveTop(state, false, targetAsk)
    fillDepth(state, true)
    fillDepth(state, false)
    perturb(state, true)
    perturb(state, false)
  }

  function moveTop(state: InstrumentState, isBid: boolean, target: number): void {
    const side = isBid ? state.bids : state.asks
    const direction = isBid ? -1 : 1
    // Levels better than the target disappear.
    for (let best = side.best(); best !== undefined && (best - target) * direction < 0; best = side.best()) {
      setLevel(state, isBid, best, 0)
    }
    const best = side.best()
    if (best === target) return
    // New levels from the target toward the old top (a bounded number; a jump leaves a thinner book).
    let price = target
    for (let added = 0; added < MAX_NEW_LEVELS_PER_TICK; added++) {
      if (best !== undefined && (price - best) * direction >= 0) break
      setLevel(state, isBid, price, randomSize(state))
      price += direction * randomGap(state)
    }
  }

  function fillDepth(state: InstrumentState, isBid: boolean): void {
    const side = isBid ? state.bids : state.asks
    const direction = isBid ? -1 : 1
    const depth = state.quoting.depth
    while (side.count > depth) setLevel(state, isBid, side.worst() as number, 0)
    while (side.count < depth) {
      const worst = side.worst() as number
      const price = worst + direction * randomGap(state)
      if (price <= 0) break
      setLevel(state, isBid, price, randomSize(state))
    }
  }

  function perturb(state: InstrumentState, isBid: boolean): void {
    const side = isBid ? state.bids : state.asks
    const changes = random.int(1, 3)
    for (let change = 0; change < changes; change++) {
      // Changes cluster near the top, as on a real book.
      const reach = Math.min(side.count, 40)
      const index = Math.floor(random.next() ** 2 * reach)
      const price = side.priceAt(index)
      if (price === undefined) continue
      const roll = random.next()
      if (roll < 0.08 && index > 0) {
        setLevel(state, isBid, price, 0)
      } else if (roll < 0.16) {
        const next = side.priceAt(index + 1)
        if (next !== undefined && Math.abs(next - price) > 1) {
          setLevel(state, isBid, Math.round((price + next) / 2), randomSize(state))
        }
      } else {
        setLevel(state, isBid, price, Math.max(1, Math.round(side.size(price) * (0.5 + random.next()))))
      }
    }
    // Removals above can thin the book; keep its depth exact.
    fillDepth(state, isBid)
  }

  function emitBook(state: InstrumentState, time: number): void {
    if (state.pendingBids.size === 0 && state.pendingAsks.size === 0) return
    state.updateId++
    const change: SimBookChange = {
      instrument: state.instrument,
      bids: sortedLevels(state.pendingBids, true),
      asks: sortedLevels(state.pendingAsks, false),
      updateId: state.updateId,
      time,
    }
    state.pendingBids.clear()
    state.pendingAsks.clear()
    for (const listener of bookListeners) {
      try {
        listener(change)
      } catch (error) {
        onListenerError(error)
      }
    }
  }

  function trade(state: InstrumentState, time: number): void {
    const side: 'buy' | 'sell' = random.next() < 0.5 ? 'buy' : 'sell'
    // A taker buy lifts the best ask; a taker sell hits the best bid.
    const book = side === 'buy' ? state.asks : state.bids
    const price = book.best()
    if (price === undefined) return
    const available = book.size(price)
    const size =
      random.next() < 0.15
        ? available
        : Math.max(1, Math.min(available, Math.round(available * random.next() * 0.5)))
    setLevel(state, side === 'sell', price, available - size)
    // A swept level is replaced at the deep end in the same change, so the depth stays exact.
    if (size === available) fillDepth(state, side === 'sell')
    const record: SimTrade = {
      instrument: state.instrument,
      id: state.nextTradeId++,
      priceTicks: price,
      sizeLots: size,
      side,
      time,
    }
    state.trades.push(record)
    if (state.trades.length > tradeHistoryLimit + Math.ceil(tradeHistoryLimit / 10)) {
      state.trades.splice(0, state.trades.length - tradeHistoryLimit)
    }
    const stats = state.stats
    stats.lastTicks = price
    if (price > stats.highTicks) stats.highTicks = price
    if (price < stats.lowTicks) stats.lowTicks = price
    stats.baseVolumeLots += size
    stats.quoteVolume +=
      size *
      state.instrument.lotSize *
      (state.instrument.contractValue ?? 1) *
      price *
      state.instrument.tickSize
    for (const listener of tradeListeners) {
      try {
        listener(record)
      } catch (error) {
        onListenerError(error)
      }
    }
    emitBook(state, time)
  }

  function tick(): void {
    tickCount++
    const time = clock()
    for (const asset of assets.values()) {
      const history = asset.history
      const price = (history[0] as number) * Math.exp(volatility * random.normal())
      history.pop()
      history.unshift(price)
    }
    if (dislocation !== null) {
      dislocation.remainingTicks--
      if (dislocation.remainingTicks <= 0) dislocation = null
    } else if (random.next() < dislocationProbability) {
      const venues = VENUES.filter((venue) => byVenue.has(venue))
      const venue = venues[Math.floor(random.next() * venues.length)]
      if (venue !== undefined) {
        const magnitude = 0.0025 + random.next() * 0.003
        dislocation = {
          venue,
          shift: random.next() < 0.5 ? -magnitude : magnitude,
          remainingTicks: Math.max(1, Math.round(random.int(2_000, 6_000) / tickIntervalMs)),
        }
      }
    }
    for (const state of states) {
      requote(state)
      emitBook(state, time)
      if (random.next() < tradeProbability) trade(state, time)
    }
  }

  function resolve(venue: VenueId, symbol: string, market?: Market): InstrumentState | undefined {
    const list = byVenue.get(venue)
    if (list === undefined) return undefined
    let venueSpelled: InstrumentState | undefined
    for (const state of list) {
      const instrument = state.instrument
      if (market !== undefined && instrument.market !== market) continue
      // A unified symbol is unambiguous; a venue spelling prefers spot (Binance/Bybit spell both alike).
      if (instrument.symbol === symbol) return state
      if (instrument.venueSymbol === symbol && (venueSpelled === undefined || instrument.market === 'spot')) {
        venueSpelled = state
      }
    }
    return venueSpelled
  }

  function requireState(instrument: SimInstrument): InstrumentState {
    const state =
      stateOf.get(instrument) ?? resolve(instrument.venue, instrument.venueSymbol, instrument.market)
    if (state === undefined) {
      throw new ConfigError(`Unknown simulator instrument ${instrument.venue} ${instrument.venueSymbol}.`, {
        venue: instrument.venue,
        hint: 'Use an instrument returned by market.instruments(venue).',
      })
    }
    return state
  }

  return {
    seed,
    tickIntervalMs,
    now: () => clock(),
    get running() {
      return timer !== null
    },
    get tickCount() {
      return tickCount
    },
    instruments: (venue) => (byVenue.get(venue) ?? []).map((state) => state.instrument),
    allInstruments: () => states.map((state) => state.instrument),
    instrument: (venue, venueSymbol, market) => resolve(venue, venueSymbol, market)?.instrument,
    book(instrument, depth) {
      const state = requireState(instrument)
      return { bids: state.bids.levels(depth), asks: state.asks.levels(depth), updateId: state.updateId }
    },
    trades(instrument) {
      const trades = requireState(instrument).trades
      return trades.length > tradeHistoryLimit ? trades.slice(-tradeHistoryLimit) : trades
    },
    stats24h: (instrument) => ({ ...requireState(instrument).stats }),
    onBook(listener) {
      bookListeners.add(listener)
      return () => bookListeners.delete(listener)
    },
    onTrade(listener) {
      tradeListeners.add(listener)
      return () => tradeListeners.delete(listener)
    },
    fairPrice: (base) => assets.get(base)?.history[0],
    dislocation: () => (dislocation === null ? null : { ...dislocation }),
    step(count = 1) {
      for (let index = 0; index < count; index++) tick()
    },
    start() {
      if (timer !== null) return
      startedAt = performance.now()
      ticksSinceStart = 0
      // Catch up on the ticks that are due, so the cadence holds even when timers fire late.
      timer = setInterval(() => {
        const due = Math.floor((performance.now() - startedAt) / tickIntervalMs) - ticksSinceStart
        const run = Math.min(Math.max(due, 0), MAX_CATCH_UP_TICKS)
        for (let index = 0; index < run; index++) tick()
        ticksSinceStart += due > MAX_CATCH_UP_TICKS ? due : run
      }, tickIntervalMs)
    },
    stop() {
      if (timer === null) return
      clearInterval(timer)
      timer = null
    },
  }
}

function sortedLevels(levels: Map<number, number>, isBid: boolean): SimLevel[] {
  const out: SimLevel[] = []
  for (const [price, size] of levels) out.push([price, size])
  out.sort(isBid ? (a, b) => b[0] - a[0] : (a, b) => a[0] - b[0])
  return out
}
