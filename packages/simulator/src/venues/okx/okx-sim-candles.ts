import type { SimInstrument, SimTrade } from '../../sim-types'
import { contractValueOf, okxPx, okxSz } from './okx-sim-format'

const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000

/** OKX candle channel suffixes and their lengths (months approximated as 30 days). */
const INTERVALS: Record<string, number> = {
  '1s': 1_000,
  '1m': MINUTE,
  '3m': 3 * MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1H': HOUR,
  '2H': 2 * HOUR,
  '4H': 4 * HOUR,
  '6H': 6 * HOUR,
  '12H': 12 * HOUR,
  '1D': DAY,
  '2D': 2 * DAY,
  '3D': 3 * DAY,
  '5D': 5 * DAY,
  '1W': 7 * DAY,
  '1M': 30 * DAY,
  '3M': 90 * DAY,
}

export interface CandleSpec {
  intervalMs: number
  /** Hong Kong time (UTC+8) alignment for 6H and longer without the `utc` suffix. */
  offsetMs: number
}

/** `candle1m` → its spec; null when the channel is not a candle channel OKX has. */
export function candleSpecOf(channel: string): CandleSpec | null {
  if (!channel.startsWith('candle')) return null
  let suffix = channel.slice(6)
  const utc = suffix.endsWith('utc')
  if (utc) suffix = suffix.slice(0, -3)
  const intervalMs = INTERVALS[suffix]
  if (intervalMs === undefined) return null
  if (utc && intervalMs < 6 * HOUR) return null
  return { intervalMs, offsetMs: !utc && intervalMs >= 6 * HOUR ? -8 * HOUR : 0 }
}

/** One instrument's candle on one interval, built from the trades. */
export class CandleBuilder {
  private openTime = Number.NaN
  private open = 0
  private high = 0
  private low = 0
  private close = 0
  private volumeLots = 0
  private quoteVolume = 0
  /** Changed since the last push. */
  dirty = false

  constructor(
    readonly instrument: SimInstrument,
    readonly spec: CandleSpec,
  ) {}

  /** Adds a trade; returns the row of the candle it closed (confirm "1"), if any. */
  add(trade: SimTrade): string[] | null {
    const bucket =
      Math.floor((trade.time - this.spec.offsetMs) / this.spec.intervalMs) * this.spec.intervalMs +
      this.spec.offsetMs
    let closed: string[] | null = null
    if (bucket !== this.openTime) {
      if (!Number.isNaN(this.openTime)) closed = this.row(true)
      this.openTime = bucket
      this.open = this.high = this.low = trade.priceTicks
      this.volumeLots = 0
      this.quoteVolume = 0
    }
    this.high = Math.max(this.high, trade.priceTicks)
    this.low = Math.min(this.low, trade.priceTicks)
    this.close = trade.priceTicks
    this.volumeLots += trade.sizeLots
    const baseAmount = trade.sizeLots * this.instrument.lotSize * contractValueOf(this.instrument)
    this.quoteVolume += baseAmount * trade.priceTicks * this.instrument.tickSize
    this.dirty = true
    return closed
  }

  get hasCandle(): boolean {
    return !Number.isNaN(this.openTime)
  }

  /** `[ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]`. */
  row(confirmed = false): string[] {
    const instrument = this.instrument
    const isSpot = instrument.market === 'spot'
    const baseVolume = this.volumeLots * instrument.lotSize * contractValueOf(instrument)
    const quote = this.quoteVolume.toFixed(8).replace(/\.?0+$/, '') || '0'
    const base = baseVolume.toFixed(10).replace(/\.?0+$/, '') || '0'
    return [
      String(this.openTime),
      okxPx(instrument, this.open),
      okxPx(instrument, this.high),
      okxPx(instrument, this.low),
      okxPx(instrument, this.close),
      // SPOT: vol is base, volCcy quote. SWAP: vol is contracts, volCcy base.
      isSpot ? base : okxSz(instrument, this.volumeLots),
      isSpot ? quote : base,
      quote,
      confirmed ? '1' : '0',
    ]
  }
}
