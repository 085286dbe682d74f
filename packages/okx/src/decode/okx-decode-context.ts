import type { DecodeContext, ErrorEvent, Market } from '@tickmesh/core'
import { nowMs, parseWireDecimal, truncate } from '@tickmesh/core'
import { okxMarketOf, okxUnifiedSymbol } from '../okx-symbols'

/** What the OKX decoder may know beyond the frame. */
export interface OkxDecodeContext extends DecodeContext {
  /**
   * Base-currency units per contract of a SWAP instrument (`ctVal` from the instruments endpoint).
   * OKX quotes SWAP sizes in contracts; with this, tickmesh reports every size in the base currency
   * like the other venues. Without it, SWAP sizes stay in contracts.
   */
  contractValueOf?: (instId: string) => number | undefined
}

/** A plain JSON object. */
export type JsonRecord = Record<string, unknown>

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The instrument a data item belongs to, resolved once per message. */
export interface ResolvedInstrument {
  instId: string
  symbol: string
  market: Market
  /** Multiplier from the wire size to base units (1 on spot). */
  sizeScale: number
}

/** What an instId alone says (market and the spelled-out symbol); null when it is not an OKX id. */
interface InstrumentNames {
  market: Market
  symbol: string
}

/** instId → names, memoized so a frame does not split its instId again; bounded against garbage ids. */
const namesCache = new Map<string, InstrumentNames | null>()
const NAMES_CACHE_MAX = 4096

function instrumentNames(instId: string): InstrumentNames | null {
  const cached = namesCache.get(instId)
  if (cached !== undefined) return cached
  const market = okxMarketOf(instId)
  const symbol = market === null ? null : okxUnifiedSymbol(instId)
  const names = market === null || symbol === null ? null : { market, symbol }
  if (namesCache.size >= NAMES_CACHE_MAX) namesCache.clear()
  namesCache.set(instId, names)
  return names
}

export function resolveInstrument(instId: unknown, context: OkxDecodeContext): ResolvedInstrument | null {
  if (typeof instId !== 'string' || instId.length === 0) return null
  const names = instrumentNames(instId)
  if (names === null) return null
  const market = names.market
  const symbol = context.symbolOf?.(instId) ?? names.symbol
  let sizeScale = 1
  if (market !== 'spot') {
    const contractValue = context.contractValueOf?.(instId)
    if (contractValue !== undefined && Number.isFinite(contractValue) && contractValue > 0) {
      sizeScale = contractValue
    }
  }
  return { instId, symbol, market, sizeScale }
}

/** Converts a size string to base units; NaN when it is not a number (callers check). */
export function scaledSize(value: unknown, scale: number): number {
  const size = toFiniteOrNaN(value)
  // Contract values like 0.01 are not exact in binary: keep 15 significant digits so `3 × 0.01`
  // reads as 0.03 rather than 0.030000000000000002.
  return scale === 1 ? size : +(size * scale).toPrecision(15)
}

export function toFiniteOrNaN(value: unknown): number {
  if (typeof value === 'number') return value
  if (typeof value === 'string' && value.length > 0) return parseWireDecimal(value)
  return Number.NaN
}

export function nullableScaled(value: unknown, scale: number): number | null {
  if (value === undefined || value === null || value === '') return null
  const size = scaledSize(value, scale)
  return Number.isFinite(size) ? size : null
}

export function nullableNumber(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null
  const number = toFiniteOrNaN(value)
  return Number.isFinite(number) ? number : null
}

export function decodeErrorEvent(
  message: string,
  frame: string,
  context: DecodeContext,
  symbol: string | null = null,
  code = 'DECODE_ERROR',
  hint: string | null = 'The frame was skipped; if this repeats, the venue may have changed its format.',
): ErrorEvent {
  return {
    kind: 'error',
    venue: 'okx',
    market: context.market,
    symbol,
    code,
    message,
    hint,
    raw: truncate(frame, 512),
    receivedAt: Number.isFinite(context.receivedAt) ? context.receivedAt : nowMs(),
  }
}
