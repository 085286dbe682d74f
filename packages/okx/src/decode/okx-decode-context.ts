import type { DecodeContext, ErrorEvent, Market } from '@tickmesh/core'
import { nowMs, truncate } from '@tickmesh/core'
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

export function resolveInstrument(instId: unknown, context: OkxDecodeContext): ResolvedInstrument | null {
  if (typeof instId !== 'string' || instId.length === 0) return null
  const market = okxMarketOf(instId)
  if (market === null) return null
  const symbol = context.symbolOf?.(instId) ?? okxUnifiedSymbol(instId)
  if (symbol === null) return null
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
  if (typeof value === 'string' && value.length > 0) return +value
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
