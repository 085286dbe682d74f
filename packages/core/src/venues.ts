/** Venues with a tickmesh adapter. */
export const VENUES = ['binance', 'bybit', 'okx', 'coinbase'] as const
export type VenueId = (typeof VENUES)[number]

/** `spot`, USDT/USDC-margined perpetuals (`linear`) or coin-margined ones (`inverse`). */
export const MARKETS = ['spot', 'linear', 'inverse'] as const
export type Market = (typeof MARKETS)[number]

/** What a subscription asks for. Private channels need credentials. */
export const CHANNELS = ['ticker', 'trades', 'bbo', 'book', 'candles', 'orders', 'balances'] as const
export type Channel = (typeof CHANNELS)[number]

/** Candle intervals every adapter understands; each maps them to its venue's spelling. */
export const CANDLE_INTERVALS = [
  '1s',
  '1m',
  '3m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '4h',
  '6h',
  '12h',
  '1d',
  '1w',
] as const
export type CandleInterval = (typeof CANDLE_INTERVALS)[number]

const INTERVAL_MS: Record<CandleInterval, number> = {
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
  '12h': 43_200_000,
  '1d': 86_400_000,
  '1w': 604_800_000,
}

export function candleIntervalMs(interval: CandleInterval): number {
  return INTERVAL_MS[interval]
}

export function isVenueId(value: unknown): value is VenueId {
  return typeof value === 'string' && (VENUES as readonly string[]).includes(value)
}
