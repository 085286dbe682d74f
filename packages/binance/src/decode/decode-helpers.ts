import type { DecodeContext, ErrorEvent, Market } from '@tickmesh/core'
import { parseWireDecimal, truncate } from '@tickmesh/core'
import { unifiedFromBinance } from '../binance-symbols'

/** A parsed JSON object from the wire; fields are read through the typed readers below. */
export type WireObject = Record<string, unknown>

export function isObject(value: unknown): value is WireObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A decimal string or number as a finite number, NaN otherwise (missing, wrong type, garbage). */
export function readNumber(object: WireObject, key: string): number {
  return numberOf(object[key])
}

/** Like `readNumber` but null when the field is absent or unusable (optional fields). */
export function readOptionalNumber(object: WireObject, key: string): number | null {
  return optionalNumberOf(object[key])
}

/*
 * The same on a value already read: hot decoders read `data.c` with a constant name, which stays a
 * fast monomorphic property load, where a shared `object[key]` helper becomes a megamorphic lookup.
 */
export function numberOf(value: unknown): number {
  if (typeof value === 'number') return value
  if (typeof value === 'string' && value.length > 0) return parseWireDecimal(value)
  return Number.NaN
}

export function optionalNumberOf(value: unknown): number | null {
  const number = numberOf(value)
  return Number.isFinite(number) ? number : null
}

export function readString(object: WireObject, key: string): string | null {
  return stringOf(object[key])
}

export function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null
}

/** Quote-list splits per market, memoized (bounded, so garbage symbols cannot grow it). */
const splitCache: Record<Market, Map<string, string | null>> = {
  spot: new Map(),
  linear: new Map(),
  inverse: new Map(),
}
const SPLIT_CACHE_MAX = 4096

/** Unified symbol for a Binance spelling: the instruments cache first, then the quote-list split. */
export function resolveSymbol(venueSymbol: string, context: DecodeContext): string | null {
  const known = context.symbolOf?.(venueSymbol)
  if (known !== undefined) return known
  const cache = splitCache[context.market]
  const cached = cache.get(venueSymbol)
  if (cached !== undefined) return cached
  const symbol = unifiedFromBinance(venueSymbol, context.market)
  if (cache.size >= SPLIT_CACHE_MAX) cache.clear()
  cache.set(venueSymbol, symbol)
  return symbol
}

export function decodeError(
  message: string,
  frame: string,
  context: DecodeContext,
  symbol: string | null = null,
  code = 'DECODE_ERROR',
): ErrorEvent {
  return {
    kind: 'error',
    venue: 'binance',
    market: context.market,
    symbol,
    code,
    message,
    hint:
      code === 'DECODE_ERROR'
        ? 'The frame was skipped and the stream goes on; report it if it repeats (the raw frame is attached).'
        : null,
    raw: truncate(frame, 512),
    receivedAt: context.receivedAt,
  }
}

export function marketOf(context: DecodeContext): Market {
  return context.market
}
