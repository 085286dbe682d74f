import type { CandleInterval, Market } from '@tickmesh/core'
import { CANDLE_INTERVALS, splitVenueSymbol, unifiedSymbol } from '@tickmesh/core'

/** Unified symbol for a Binance spelling (`BTCUSDT`) split by the known quote list, or null. */
export function unifiedFromBinance(venueSymbol: string, market: Market): string | null {
  const split = splitVenueSymbol(venueSymbol)
  return split ? unifiedSymbol(split.base, split.quote, market) : null
}

/** Binance spelling of a unified symbol: `BTC/USDT` and `BTC/USDT:USDT` → `BTCUSDT`. */
export function binanceFromUnified(base: string, quote: string): string {
  return `${base}${quote}`
}

const INTERVALS: ReadonlySet<string> = new Set(CANDLE_INTERVALS)

/** Binance kline intervals share tickmesh's spelling; 8h, 3d and 1M have no unified interval. */
export function toCandleInterval(text: string): CandleInterval | null {
  return INTERVALS.has(text) ? (text as CandleInterval) : null
}
