import type { DecodeContext, ErrorEvent, Market, MarketEvent } from '@tickmesh/core'
import { parseWireDecimal, truncate } from '@tickmesh/core'
import { toUnifiedSymbol } from '../bybit-symbols'

/** What one frame's decoders share: where it came from, when, and where events go. */
export interface DecodeScope {
  readonly frame: string
  readonly market: Market
  readonly receivedAt: number
  readonly symbolOf: ((venueSymbol: string) => string | undefined) | undefined
  readonly out: MarketEvent[]
}

export function createScope(frame: string, context: DecodeContext, out: MarketEvent[]): DecodeScope {
  return {
    frame,
    market: context.market,
    receivedAt: context.receivedAt,
    symbolOf: context.symbolOf,
    out,
  }
}

/** A `DECODE_ERROR` event carrying the frame, truncated to 512 characters. */
export function decodeErrorEvent(
  message: string,
  frame: string,
  market: Market | null,
  receivedAt: number,
  symbol: string | null = null,
  code = 'DECODE_ERROR',
  hint: string | null = 'The frame was skipped; the stream goes on. Report it if it repeats.',
): ErrorEvent {
  return {
    kind: 'error',
    venue: 'bybit',
    market,
    symbol,
    code,
    message,
    hint,
    raw: truncate(frame, 512),
    receivedAt,
  }
}

export function pushDecodeError(scope: DecodeScope, message: string, symbol: string | null = null): void {
  scope.out.push(decodeErrorEvent(message, scope.frame, scope.market, scope.receivedAt, symbol))
}

/** The unified symbol or a decode error (returns null after pushing it). */
export function resolveSymbol(
  scope: DecodeScope,
  venueSymbol: unknown,
  market = scope.market,
): string | null {
  if (typeof venueSymbol !== 'string' || venueSymbol.length === 0) {
    pushDecodeError(scope, 'Bybit frame has no symbol.')
    return null
  }
  const symbol = scope.symbolOf?.(venueSymbol) ?? splitSymbol(venueSymbol, market)
  if (symbol === null) pushDecodeError(scope, `Unknown Bybit symbol "${venueSymbol}".`)
  return symbol
}

/** Quote-list splits per market, memoized (bounded, so garbage symbols cannot grow it). */
const splitCache: Record<Market, Map<string, string | null>> = {
  spot: new Map(),
  linear: new Map(),
  inverse: new Map(),
}
const SPLIT_CACHE_MAX = 4096

function splitSymbol(venueSymbol: string, market: Market): string | null {
  const cache = splitCache[market]
  const cached = cache.get(venueSymbol)
  if (cached !== undefined) return cached
  const symbol = toUnifiedSymbol(venueSymbol, market)
  if (cache.size >= SPLIT_CACHE_MAX) cache.clear()
  cache.set(venueSymbol, symbol)
  return symbol
}

/** A decimal string or number from the wire; NaN for anything else (callers check). */
export function wireNumber(value: unknown): number {
  if (typeof value === 'number') return value
  if (typeof value === 'string' && value.length > 0) return parseWireDecimal(value)
  return Number.NaN
}

/** Like `wireNumber` but null for missing, empty or non-finite values. */
export function nullableWireNumber(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null
  const number = wireNumber(value)
  return Number.isFinite(number) ? number : null
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A millisecond timestamp from a number or numeric string, else null. */
export function toTime(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'string' && value.length > 0) {
    const number = parseWireDecimal(value)
    return Number.isFinite(number) ? number : null
  }
  return null
}
