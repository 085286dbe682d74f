import type { CandleInterval, Market } from '@tickmesh/core'
import { splitVenueSymbol, unifiedSymbol } from '@tickmesh/core'

/** Bybit's kline interval spelling for each unified interval; `1s` has no Bybit equivalent. */
export const BYBIT_INTERVALS: Partial<Record<CandleInterval, string>> = {
  '1m': '1',
  '3m': '3',
  '5m': '5',
  '15m': '15',
  '30m': '30',
  '1h': '60',
  '2h': '120',
  '4h': '240',
  '6h': '360',
  '12h': '720',
  '1d': 'D',
  '1w': 'W',
}

const UNIFIED_INTERVALS = new Map<string, CandleInterval>()
for (const [unified, venue] of Object.entries(BYBIT_INTERVALS)) {
  UNIFIED_INTERVALS.set(venue, unified as CandleInterval)
}

/** The unified interval for a Bybit kline interval (`"1"` → `1m`), or undefined (monthly). */
export function unifiedInterval(bybitInterval: string): CandleInterval | undefined {
  return UNIFIED_INTERVALS.get(bybitInterval)
}

/**
 * Venue symbol → unified symbol. Uses the instruments cache when the caller has one, else splits
 * `BTCUSDT` by the known quote list. Returns null when neither works.
 */
export function toUnifiedSymbol(
  venueSymbol: string,
  market: Market,
  symbolOf?: (venueSymbol: string) => string | undefined,
): string | null {
  const known = symbolOf?.(venueSymbol)
  if (known !== undefined) return known
  const split = splitVenueSymbol(venueSymbol)
  return split ? unifiedSymbol(split.base, split.quote, market) : null
}
