import type { CandleEvent, CandleInterval, TradeEvent } from '@tickmesh/core'
import { candleIntervalMs } from '@tickmesh/core'

interface OpenCandle {
  openTime: number
  open: number
  high: number
  low: number
  close: number
  volume: number
  venueSymbol: string
  exchangeTime: number | null
}

/**
 * Coinbase Exchange has no candles channel, so candles are built locally from the trade stream:
 * one per interval (bucketed by the trade's exchange time), updated on each trade (`closed: false`)
 * and closed when the next interval's first trade arrives or `flush(now)` passes the interval end.
 * A trade older than the open candle (already closed interval) is not counted.
 */
export class CandleBuilder {
  readonly intervalMs: number
  private candle: OpenCandle | null = null
  /** Open time of the last closed candle, so a late trade cannot reopen it. */
  private closedThrough = Number.NEGATIVE_INFINITY

  constructor(
    readonly symbol: string,
    readonly interval: CandleInterval,
  ) {
    this.intervalMs = candleIntervalMs(interval)
  }

  /** Adds a trade; returns the events it causes (the closed previous candle, then the open one). */
  add(trade: TradeEvent, out: CandleEvent[]): void {
    const time = trade.exchangeTime ?? trade.receivedAt
    const openTime = Math.floor(time / this.intervalMs) * this.intervalMs
    if (openTime <= this.closedThrough) return
    let candle = this.candle
    if (candle !== null && openTime < candle.openTime) return
    if (candle !== null && openTime > candle.openTime) {
      out.push(this.event(candle, trade.receivedAt, true))
      this.closedThrough = candle.openTime
      candle = null
    }
    if (candle === null) {
      candle = {
        openTime,
        open: trade.price,
        high: trade.price,
        low: trade.price,
        close: trade.price,
        volume: 0,
        venueSymbol: trade.venueSymbol,
        exchangeTime: trade.exchangeTime,
      }
      this.candle = candle
    }
    if (trade.price > candle.high) candle.high = trade.price
    if (trade.price < candle.low) candle.low = trade.price
    candle.close = trade.price
    candle.volume += trade.amount
    candle.exchangeTime = trade.exchangeTime
    out.push(this.event(candle, trade.receivedAt, false))
  }

  /** Closes the open candle when `now` (venue time) is past its interval; returns it or null. */
  flush(now: number, receivedAt: number): CandleEvent | null {
    const candle = this.candle
    if (candle === null || now < candle.openTime + this.intervalMs) return null
    this.candle = null
    this.closedThrough = candle.openTime
    return this.event(candle, receivedAt, true)
  }

  private event(candle: OpenCandle, receivedAt: number, closed: boolean): CandleEvent {
    return {
      kind: 'candle',
      venue: 'coinbase',
      market: 'spot',
      symbol: this.symbol,
      venueSymbol: candle.venueSymbol,
      exchangeTime: candle.exchangeTime,
      receivedAt,
      interval: this.interval,
      openTime: candle.openTime,
      open: candle.open,
      high: candle.high,
      low: candle.low,
      close: candle.close,
      volume: Math.round(candle.volume * 1e12) / 1e12,
      closed,
    }
  }
}
