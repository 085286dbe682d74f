import type { MarketView } from '@tickmesh/aggregator'
import type { MarketEvent, VenueId } from '@tickmesh/core'
import { ConfigError } from '@tickmesh/core'
import type { SymbolFeatures } from './symbol-features'

export interface FeatureTrackerOptions {
  symbols: readonly string[]
  /** Rolling window of returns, volatility, z-score and baselines (ms). Default 5 minutes. */
  windowMs?: number
  /** Window of the volume, trade-imbalance spike measures (ms). Default 30 s. */
  shortWindowMs?: number
  /** Consolidated mid samples kept per symbol. Default 1 024. */
  sampleCapacity?: number
  /** Consolidated book levels per side used for the book imbalance. Default 10. */
  bookDepth?: number
  /** Earlier samples needed before a z-score is reported. Default 10. */
  minBaselineSamples?: number
}

const SLOTS = 3 // [time, mid, spreadBps]
const MAX_DISRUPTIONS = 64

/** Bounded per-symbol state: a ring of consolidated mid/spread samples and recent disruption times. */
class SymbolSamples {
  readonly values: Float64Array
  start = 0
  size = 0
  readonly disruptions: number[] = []
  constructor(readonly capacity: number) {
    this.values = new Float64Array(capacity * SLOTS)
  }
  push(time: number, mid: number, spreadBps: number): void {
    const index = (this.start + this.size) % this.capacity
    if (this.size < this.capacity) this.size++
    else this.start = (this.start + 1) % this.capacity
    const offset = index * SLOTS
    this.values[offset] = time
    this.values[offset + 1] = mid
    this.values[offset + 2] = spreadBps
  }
  get(position: number, slot: number): number {
    return this.values[((this.start + position) % this.capacity) * SLOTS + slot]!
  }
  disrupted(time: number): void {
    if (this.disruptions.length >= MAX_DISRUPTIONS) this.disruptions.shift()
    this.disruptions.push(time)
  }
}

/**
 * Turns the aggregator's live view into per-symbol features. `sample()` is called on a fixed cadence
 * (the worker's evaluation timer), never per tick, so the cost does not grow with the message rate.
 * Returns, volatility, volume and imbalance come from the view's history rings; the z-score and the
 * spread baseline come from this tracker's own samples of the consolidated mid, which the view does
 * not keep.
 */
export class FeatureTracker {
  readonly windowMs: number
  readonly shortWindowMs: number
  private readonly bookDepth: number
  private readonly minBaselineSamples: number
  private readonly samples = new Map<string, SymbolSamples>()

  constructor(
    private readonly view: MarketView,
    options: FeatureTrackerOptions,
  ) {
    this.windowMs = options.windowMs ?? 300_000
    this.shortWindowMs = options.shortWindowMs ?? 30_000
    this.bookDepth = options.bookDepth ?? 10
    this.minBaselineSamples = options.minBaselineSamples ?? 10
    const capacity = options.sampleCapacity ?? 1_024
    if (!(this.shortWindowMs > 0 && this.windowMs >= this.shortWindowMs)) {
      throw new ConfigError('The feature windows are inconsistent.', {
        details: { windowMs: this.windowMs, shortWindowMs: this.shortWindowMs },
        hint: 'Use a positive short window no longer than the main window.',
      })
    }
    if (!(Number.isInteger(capacity) && capacity >= 2)) {
      throw new ConfigError('sampleCapacity must be an integer of at least 2.', { details: { capacity } })
    }
    for (const symbol of options.symbols) this.samples.set(symbol, new SymbolSamples(capacity))
  }

  get symbols(): string[] {
    return [...this.samples.keys()]
  }

  /** Counts feed disruptions (status and gap events); everything else is read from the view. */
  observe(event: MarketEvent): void {
    if (event.kind === 'gap') {
      this.samples.get(event.symbol)?.disrupted(event.receivedAt)
      return
    }
    if (event.kind !== 'status') return
    if (event.state !== 'resyncing' && event.state !== 'stale' && event.state !== 'reconnecting') return
    if (event.symbol !== null) {
      this.samples.get(event.symbol)?.disrupted(event.receivedAt)
      return
    }
    // A connection-wide disruption touches every symbol that venue feeds.
    for (const samples of this.samples.values()) samples.disrupted(event.receivedAt)
  }

  /** Records the consolidated mid and spread of every tracked symbol at `now` (the view's clock by default). */
  sample(now: number = this.view.now()): void {
    for (const [symbol, samples] of this.samples) {
      const bbo = this.view.bbo(symbol)
      if (bbo === null || bbo.mid === null || bbo.spreadBps === null) continue
      if (samples.size > 0 && samples.get(samples.size - 1, 0) >= now) continue
      samples.push(now, bbo.mid, bbo.spreadBps)
    }
  }

  features(symbol: string, now: number = this.view.now()): SymbolFeatures {
    const samples = this.samples.get(symbol)
    const bbo = this.view.bbo(symbol)
    const summary = this.view.summary(symbol)
    const venues: VenueId[] = bbo?.venues ?? []
    let returnSum = 0
    let returnCount = 0
    let volSum = 0
    let volCount = 0
    let shortVolume = 0
    let shortBuy = 0
    let longVolume = 0
    let longTrades = 0
    for (const venue of [...venues, ...(bbo?.stale ?? [])]) {
      const long = this.view.history(symbol, venue, this.windowMs)
      const short = this.view.history(symbol, venue, this.shortWindowMs)
      if (long !== null) {
        if (long.return !== null && long.midSamples > 1) {
          returnSum += long.return
          returnCount++
        }
        if (long.realizedVolatility !== null) {
          volSum += long.realizedVolatility
          volCount++
        }
        longTrades += long.tradeCount
        longVolume += long.volume
      }
      if (short !== null) {
        shortVolume += short.volume
        shortBuy += short.buyVolume
      }
    }
    const { zScore, midSamples, spreadRatio } = this.sampleStats(samples, now)
    // Until the tracker has watched a whole window, the usual rate is over the time actually watched.
    const coveredMs =
      samples === undefined || samples.size === 0 ? 0 : Math.min(this.windowMs, now - samples.get(0, 0))
    const shortRate = shortVolume / this.shortWindowMs
    const longRate = coveredMs > 0 ? longVolume / Math.max(coveredMs, this.shortWindowMs) : 0
    return {
      symbol,
      asOf: now,
      windowMs: this.windowMs,
      historyMs: Math.max(0, coveredMs),
      mid: bbo?.mid ?? null,
      return: returnCount > 0 ? returnSum / returnCount : null,
      realizedVolatility: volCount > 0 ? volSum / volCount : null,
      zScore,
      midSamples,
      dispersionBps:
        summary !== null && summary.venueCount > 1 && summary.midRangePctOfMean !== null
          ? summary.midRangePctOfMean * 100
          : null,
      spreadBps: bbo?.spreadBps ?? null,
      spreadRatio,
      volume: shortVolume,
      volumeRatio:
        longTrades >= 10 && longRate > 0 && coveredMs >= 2 * this.shortWindowMs ? shortRate / longRate : null,
      tradeImbalance: shortVolume > 0 ? (2 * shortBuy - shortVolume) / shortVolume : null,
      bookImbalance: this.bookImbalance(symbol),
      venues: [...venues],
      staleVenues: [...(bbo?.stale ?? [])],
      disruptions: samples === undefined ? 0 : countSince(samples.disruptions, now - this.windowMs),
    }
  }

  private sampleStats(
    samples: SymbolSamples | undefined,
    now: number,
  ): { zScore: number | null; midSamples: number; spreadRatio: number | null } {
    if (samples === undefined || samples.size === 0) return { zScore: null, midSamples: 0, spreadRatio: null }
    const from = now - this.windowMs
    let first = samples.size - 1
    while (first > 0 && samples.get(first - 1, 0) > from) first--
    const last = samples.size - 1
    const midSamples = last - first + 1
    // The baseline leaves out the latest sample, so a spike is measured against the calm before it.
    const baseline = last - first
    if (baseline < this.minBaselineSamples) return { zScore: null, midSamples, spreadRatio: null }
    let midSum = 0
    // Crossed or locked consolidated spreads (venues disagreeing) are dispersion, not a spread
    // baseline: only positive spreads form the usual spread.
    let spreadSum = 0
    let spreadCount = 0
    for (let i = first; i < last; i++) {
      midSum += samples.get(i, 1)
      const spread = samples.get(i, 2)
      if (spread > 0) {
        spreadSum += spread
        spreadCount++
      }
    }
    const mean = midSum / baseline
    let squares = 0
    for (let i = first; i < last; i++) {
      const deviation = samples.get(i, 1) - mean
      squares += deviation * deviation
    }
    // A floor of 0.01 bps of the price keeps a perfectly flat baseline from dividing by zero.
    const std = Math.max(Math.sqrt(squares / baseline), mean * 1e-6)
    const latestMid = samples.get(last, 1)
    const latestSpread = samples.get(last, 2)
    const enoughSpreads = spreadCount >= this.minBaselineSamples / 2 && latestSpread > 0
    return {
      zScore: (latestMid - mean) / std,
      midSamples,
      spreadRatio: enoughSpreads ? latestSpread / (spreadSum / spreadCount) : null,
    }
  }

  private bookImbalance(symbol: string): number | null {
    const book = this.view.book(symbol, this.bookDepth)
    if (book === null) return null
    let bid = 0
    let ask = 0
    for (const level of book.bids) bid += level.size
    for (const level of book.asks) ask += level.size
    const total = bid + ask
    return total > 0 ? (bid - ask) / total : null
  }
}

function countSince(times: readonly number[], from: number): number {
  let count = 0
  for (const time of times) if (time > from) count++
  return count
}
