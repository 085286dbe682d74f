import type { SimInstrument } from '../../sim-types'

/** The public categories (paths) the simulator serves; `private` is `/v5/private`. */
export type BybitCategory = 'spot' | 'linear' | 'private'

export const BYBIT_PATHS: Readonly<Record<string, BybitCategory>> = {
  '/v5/public/spot': 'spot',
  '/v5/public/linear': 'linear',
  '/v5/private': 'private',
}

export const BOOK_DEPTHS: Readonly<Record<'spot' | 'linear', readonly number[]>> = {
  spot: [1, 50, 200, 1000],
  linear: [1, 50, 200, 1000],
}

/** Real push cadence per depth (ms): 1 → 10, 50 → 20, 200 → 100 (spot 200), 1000 → 200. */
export function bookCadenceMs(category: 'spot' | 'linear', depth: number): number {
  if (depth === 1) return 10
  if (depth === 50) return 20
  if (depth === 200) return category === 'spot' ? 200 : 100
  return 200
}

export const KLINE_INTERVALS: Readonly<Record<string, number>> = {
  '1': 60_000,
  '3': 180_000,
  '5': 300_000,
  '15': 900_000,
  '30': 1_800_000,
  '60': 3_600_000,
  '120': 7_200_000,
  '240': 14_400_000,
  '360': 21_600_000,
  '720': 43_200_000,
  D: 86_400_000,
  W: 604_800_000,
}

export type PublicTopic =
  | { kind: 'tickers'; instrument: SimInstrument }
  | { kind: 'publicTrade'; instrument: SimInstrument }
  | { kind: 'orderbook'; instrument: SimInstrument; depth: number }
  | { kind: 'kline'; instrument: SimInstrument; interval: string; intervalMs: number }

/** Parses a public topic for a category; null when Bybit would answer `handler not found`. */
export function parsePublicTopic(
  topic: string,
  category: 'spot' | 'linear',
  instrumentOf: (venueSymbol: string) => SimInstrument | undefined,
): PublicTopic | null {
  const parts = topic.split('.')
  const family = parts[0]
  if (family === 'tickers' || family === 'publicTrade') {
    if (parts.length !== 2) return null
    const instrument = instrumentOf(parts[1] ?? '')
    return instrument ? { kind: family, instrument } : null
  }
  if (family === 'orderbook') {
    if (parts.length !== 3) return null
    const depth = Number(parts[1])
    const instrument = instrumentOf(parts[2] ?? '')
    if (!instrument || !BOOK_DEPTHS[category].includes(depth)) return null
    return { kind: 'orderbook', instrument, depth }
  }
  if (family === 'kline') {
    if (parts.length !== 3) return null
    const interval = parts[1] ?? ''
    const intervalMs = KLINE_INTERVALS[interval]
    const instrument = instrumentOf(parts[2] ?? '')
    if (!instrument || intervalMs === undefined) return null
    return { kind: 'kline', instrument, interval, intervalMs }
  }
  return null
}

/** Private topics: `order`, `order.spot`, `order.linear`, `wallet` (and the `*` all-category forms). */
export const PRIVATE_TOPICS: ReadonlySet<string> = new Set(['order', 'order.spot', 'order.linear', 'wallet'])
