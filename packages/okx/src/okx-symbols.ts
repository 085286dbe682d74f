import type { CandleInterval, Market } from '@tickmesh/core'

// OKX spells instruments `BTC-USDT` (spot), `BTC-USDT-SWAP` (USDT-margined perpetual) and
// `BTC-USD-SWAP` (coin-margined perpetual). Futures (`BTC-USD-220527`) are not supported.

/** The market an OKX instId trades on, or null for instruments tickmesh does not cover. */
export function okxMarketOf(instId: string): Market | null {
  const parts = instId.split('-')
  if (parts.length === 2 && parts[0] && parts[1]) return 'spot'
  if (parts.length === 3 && parts[2] === 'SWAP' && parts[0] && parts[1]) {
    return parts[1] === 'USD' ? 'inverse' : 'linear'
  }
  return null
}

/** `BTC-USDT` → `BTC/USDT`, `BTC-USDT-SWAP` → `BTC/USDT:USDT`, `BTC-USD-SWAP` → `BTC/USD:BTC`; null otherwise. */
export function okxUnifiedSymbol(instId: string): string | null {
  const market = okxMarketOf(instId)
  if (market === null) return null
  const parts = instId.split('-')
  const base = parts[0]!
  const quote = parts[1]!
  if (market === 'spot') return `${base}/${quote}`
  return market === 'linear' ? `${base}/${quote}:${quote}` : `${base}/${quote}:${base}`
}

/** `BTC/USDT` + spot → `BTC-USDT`; `BTC/USDT:USDT` + linear → `BTC-USDT-SWAP`. */
export function okxInstId(base: string, quote: string, market: Market): string {
  return market === 'spot' ? `${base}-${quote}` : `${base}-${quote}-SWAP`
}

/** The OKX `instType` of a market. */
export function okxInstType(market: Market): 'SPOT' | 'SWAP' {
  return market === 'spot' ? 'SPOT' : 'SWAP'
}

const INTERVAL_TO_OKX: Record<CandleInterval, string> = {
  '1s': '1s',
  '1m': '1m',
  '3m': '3m',
  '5m': '5m',
  '15m': '15m',
  '30m': '30m',
  '1h': '1H',
  '2h': '2H',
  '4h': '4H',
  '6h': '6H',
  '12h': '12H',
  '1d': '1D',
  '1w': '1W',
}

const OKX_TO_INTERVAL = new Map<string, CandleInterval>()
for (const [interval, okx] of Object.entries(INTERVAL_TO_OKX)) {
  OKX_TO_INTERVAL.set(okx, interval as CandleInterval)
  // The `…utc` variants open candles at 00:00 UTC instead of UTC+8; same interval length.
  OKX_TO_INTERVAL.set(`${okx}utc`, interval as CandleInterval)
}

/** Intervals OKX would otherwise align to Hong Kong time (UTC+8); tickmesh uses UTC like other venues. */
const UTC_ALIGNED = new Set<CandleInterval>(['6h', '12h', '1d', '1w'])

/** `1h` → `candle1H`; `1d` → `candle1Dutc` (UTC days, as on the other venues); null when unknown. */
export function okxCandleChannel(interval: CandleInterval): string | null {
  const okx = INTERVAL_TO_OKX[interval] as string | undefined
  if (okx === undefined) return null
  return UTC_ALIGNED.has(interval) ? `candle${okx}utc` : `candle${okx}`
}

/** `candle1H` / `candle1Hutc` → `1h`; null for channels that are not candles we understand. */
export function intervalOfOkxChannel(channel: string): CandleInterval | null {
  if (!channel.startsWith('candle')) return null
  return OKX_TO_INTERVAL.get(channel.slice(6)) ?? null
}
