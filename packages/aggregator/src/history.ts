import type { TradeEvent } from '@tickmesh/core'
import { NumericRing } from './ring-buffer'

/** Rolling statistics of one venue's mids and trades over a window. */
export interface WindowStats {
  windowMs: number
  /** Mid samples inside the window. */
  midSamples: number
  firstMid: number | null
  lastMid: number | null
  /** `lastMid / firstMid - 1` over the window (fraction). */
  return: number | null
  /** `ln(lastMid / firstMid)`. */
  logReturn: number | null
  /**
   * Realized volatility over the window: the square root of the sum of squared log returns between
   * consecutive mid samples (not annualized).
   */
  realizedVolatility: number | null
  tradeCount: number
  /** Base volume traded in the window, and by taker side. */
  volume: number
  buyVolume: number
  sellVolume: number
  /** Volume-weighted average trade price; null without trades. */
  vwap: number | null
  /** `(buyVolume - sellVolume) / volume` in [-1, 1]; null without trades. */
  tradeImbalance: number | null
}

const SIDE_BUY = 1
const SIDE_SELL = -1

/** Bounded mid and trade history of one symbol on one venue. */
export class VenueHistory {
  /** [time, mid] */
  readonly mids: NumericRing
  /** [time, price, amount, side (+1 buy, -1 sell)] */
  readonly trades: NumericRing

  constructor(midCapacity: number, tradeCapacity: number) {
    this.mids = new NumericRing(midCapacity, 2)
    this.trades = new NumericRing(tradeCapacity, 4)
  }

  /**
   * Records the quote's mid at `times[2]` (the receive time) when it changed: repeated equal mids add
   * nothing to returns. Takes a typed array and an object so the ingest path boxes no doubles.
   */
  recordMid(times: Float64Array, quote: { readonly bid: number; readonly ask: number }): void {
    const mid = (quote.bid + quote.ask) / 2
    const size = this.mids.size
    if (size > 0 && this.mids.get(size - 1, 1) === mid) return
    this.mids.push(times[2]!, mid)
  }

  /** Records a trade, its price converted by the slot's quote-equivalence `factor`. */
  recordTrade(event: TradeEvent, slot: { readonly factor: number }): void {
    this.trades.push(
      event.receivedAt,
      event.price * slot.factor,
      event.amount,
      event.side === 'buy' ? SIDE_BUY : SIDE_SELL,
    )
  }

  clear(): void {
    this.mids.clear()
    this.trades.clear()
  }

  /** Statistics of the window `(now - windowMs, now]`. */
  stats(windowMs: number, now: number): WindowStats {
    const from = now - windowMs
    const mids = this.mids
    let first = mids.firstAtOrAfter(from)
    // Samples after `now` (a replay queried mid-way) are outside the window.
    let end = mids.size
    while (end > first && mids.get(end - 1, 0) > now) end--
    let firstMid: number | null = null
    let lastMid: number | null = null
    let sumSquares = 0
    if (end > first) {
      firstMid = mids.get(first, 1)
      lastMid = mids.get(end - 1, 1)
      let previous = firstMid
      for (first = first + 1; first < end; first++) {
        const mid = mids.get(first, 1)
        const logReturn = Math.log(mid / previous)
        sumSquares += logReturn * logReturn
        previous = mid
      }
    }
    const midSamples = firstMid === null ? 0 : end - mids.firstAtOrAfter(from)
    const trades = this.trades
    let tradeCount = 0
    let volume = 0
    let buyVolume = 0
    let notional = 0
    for (let i = trades.firstAtOrAfter(from); i < trades.size; i++) {
      if (trades.get(i, 0) > now) break
      const amount = trades.get(i, 2)
      tradeCount++
      volume += amount
      notional += amount * trades.get(i, 1)
      if (trades.get(i, 3) === SIDE_BUY) buyVolume += amount
    }
    const sellVolume = volume - buyVolume
    return {
      windowMs,
      midSamples,
      firstMid,
      lastMid,
      return: firstMid !== null && lastMid !== null ? lastMid / firstMid - 1 : null,
      logReturn: firstMid !== null && lastMid !== null ? Math.log(lastMid / firstMid) : null,
      realizedVolatility: midSamples > 1 ? Math.sqrt(sumSquares) : null,
      tradeCount,
      volume,
      buyVolume,
      sellVolume,
      vwap: volume > 0 ? notional / volume : null,
      tradeImbalance: volume > 0 ? (buyVolume - sellVolume) / volume : null,
    }
  }
}
