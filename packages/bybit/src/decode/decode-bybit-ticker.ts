import type { TickerEvent } from '@tickmesh/core'
import type { DecodeScope } from './decode-scope'
import { isRecord, nullableWireNumber, pushDecodeError, resolveSymbol, toTime } from './decode-scope'

/** Ticker fields of one Bybit `tickers` frame: `undefined` = absent (unchanged in a delta), null = empty. */
export interface BybitTickerPatch {
  venueSymbol: string
  symbol: string
  isSnapshot: boolean
  exchangeTime: number | null
  last: number | null | undefined
  bid: number | null | undefined
  bidSize: number | null | undefined
  ask: number | null | undefined
  askSize: number | null | undefined
  open24h: number | null | undefined
  high24h: number | null | undefined
  low24h: number | null | undefined
  baseVolume24h: number | null | undefined
  quoteVolume24h: number | null | undefined
}

/** A field's value: undefined when absent (a delta leaves it unchanged), null when empty or invalid. */
function field(value: unknown): number | null | undefined {
  return value === undefined ? undefined : nullableWireNumber(value)
}

/** Parses a `tickers.{symbol}` frame into a patch; pushes a decode error and returns null when malformed. */
export function parseBybitTicker(
  message: Record<string, unknown>,
  scope: DecodeScope,
): BybitTickerPatch | null {
  const data = message.data
  if (!isRecord(data)) {
    pushDecodeError(scope, 'Bybit tickers frame has no data object.')
    return null
  }
  const venueSymbol = data.symbol
  const symbol = resolveSymbol(scope, venueSymbol)
  if (symbol === null) return null
  return {
    venueSymbol: venueSymbol as string,
    symbol,
    // Spot and option tickers are always snapshots; linear sends a snapshot then deltas.
    isSnapshot: message.type !== 'delta',
    exchangeTime: toTime(message.ts),
    last: field(data.lastPrice),
    bid: field(data.bid1Price),
    bidSize: field(data.bid1Size),
    ask: field(data.ask1Price),
    askSize: field(data.ask1Size),
    open24h: field(data.prevPrice24h),
    high24h: field(data.highPrice24h),
    low24h: field(data.lowPrice24h),
    baseVolume24h: field(data.volume24h),
    quoteVolume24h: field(data.turnover24h),
  }
}

/** A ticker event from a patch merged over `previous` (absent fields keep the previous value). */
export function mergeTicker(
  patch: BybitTickerPatch,
  previous: TickerEvent | undefined,
  scope: DecodeScope,
): TickerEvent {
  const base = patch.isSnapshot ? undefined : previous
  return {
    kind: 'ticker',
    venue: 'bybit',
    market: scope.market,
    symbol: patch.symbol,
    venueSymbol: patch.venueSymbol,
    exchangeTime: patch.exchangeTime,
    receivedAt: scope.receivedAt,
    last: patch.last !== undefined ? patch.last : (base?.last ?? null),
    bid: patch.bid !== undefined ? patch.bid : (base?.bid ?? null),
    bidSize: patch.bidSize !== undefined ? patch.bidSize : (base?.bidSize ?? null),
    ask: patch.ask !== undefined ? patch.ask : (base?.ask ?? null),
    askSize: patch.askSize !== undefined ? patch.askSize : (base?.askSize ?? null),
    open24h: patch.open24h !== undefined ? patch.open24h : (base?.open24h ?? null),
    high24h: patch.high24h !== undefined ? patch.high24h : (base?.high24h ?? null),
    low24h: patch.low24h !== undefined ? patch.low24h : (base?.low24h ?? null),
    baseVolume24h: patch.baseVolume24h !== undefined ? patch.baseVolume24h : (base?.baseVolume24h ?? null),
    quoteVolume24h:
      patch.quoteVolume24h !== undefined ? patch.quoteVolume24h : (base?.quoteVolume24h ?? null),
  }
}

/** Stateless decode: a delta's absent fields are null (the frame processor merges them instead). */
export function decodeBybitTicker(message: Record<string, unknown>, scope: DecodeScope): void {
  const patch = parseBybitTicker(message, scope)
  if (patch !== null) scope.out.push(mergeTicker(patch, undefined, scope))
}
