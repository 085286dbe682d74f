import type { Market } from '@tickmesh/core'
import type { SimInstrument } from '../../sim-types'

// Stream names as Binance spells them: lowercase symbol, `@`, kind. Anything else is an
// "invalid stream" (the real venue rejects `BTCUSDT@ticker`: stream names are case-sensitive).

export const KLINE_INTERVALS: Readonly<Record<string, number>> = {
  '1s': 1_000,
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
  '3d': 259_200_000,
  '1w': 604_800_000,
}

export type BinanceStream =
  | {
      kind: 'trade' | 'aggTrade' | 'ticker' | 'miniTicker' | 'bookTicker'
      instrument: SimInstrument
      name: string
    }
  | { kind: 'depth'; instrument: SimInstrument; name: string; intervalMs: number }
  | { kind: 'partialDepth'; instrument: SimInstrument; name: string; levels: 5 | 10 | 20; intervalMs: number }
  | { kind: 'kline'; instrument: SimInstrument; name: string; interval: string; intervalMs: number }

const STREAM = /^([a-z0-9]+)@([A-Za-z0-9_@]+)$/

/** Parses a stream name against the instruments of a market; null when Binance would refuse it. */
export function parseBinanceStream(
  name: string,
  instruments: ReadonlyMap<string, SimInstrument>,
  market: Market,
): BinanceStream | null {
  const match = STREAM.exec(name)
  if (!match) return null
  const instrument = instruments.get((match[1] as string).toUpperCase())
  if (!instrument || instrument.market !== market) return null
  const kind = match[2] as string
  switch (kind) {
    case 'trade':
    case 'aggTrade':
    case 'ticker':
    case 'miniTicker':
    case 'bookTicker':
      return { kind, instrument, name }
    case 'depth':
      return { kind: 'depth', instrument, name, intervalMs: market === 'spot' ? 1000 : 250 }
    case 'depth@100ms':
      return { kind: 'depth', instrument, name, intervalMs: 100 }
    default:
      break
  }
  const partial = /^depth(5|10|20)(@100ms)?$/.exec(kind)
  if (partial) {
    return {
      kind: 'partialDepth',
      instrument,
      name,
      levels: Number(partial[1]) as 5 | 10 | 20,
      intervalMs: partial[2] ? 100 : 1000,
    }
  }
  if (kind.startsWith('kline_')) {
    const interval = kind.slice(6)
    const intervalMs = KLINE_INTERVALS[interval]
    if (intervalMs === undefined) return null
    return { kind: 'kline', instrument, name, interval, intervalMs }
  }
  return null
}
