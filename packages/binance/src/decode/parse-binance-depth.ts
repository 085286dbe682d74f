import type { RawLevel } from '@tickmesh/core'
import { isPlainDecimal } from '@tickmesh/core'
import type { WireObject } from './decode-helpers'
import { isObject, numberOf, readNumber, stringOf } from './decode-helpers'

/** A `depthUpdate` event with its raw levels (venue strings) and sequence ids, before book sync. */
export interface BinanceDepthUpdate {
  venueSymbol: string
  /** `U`: first update id in the event. */
  firstUpdateId: number
  /** `u`: last update id in the event. */
  finalUpdateId: number
  /** `pu` (USDⓈ-M futures only): the previous event's `u`; null on spot. */
  previousFinalUpdateId: number | null
  eventTime: number | null
  bids: RawLevel[]
  asks: RawLevel[]
}

/** A REST `/api/v3/depth` (or `/fapi/v1/depth`) snapshot, or a `@depthN` partial book. */
export interface BinanceDepthSnapshot {
  lastUpdateId: number
  bids: RawLevel[]
  asks: RawLevel[]
}

/** Longest plain decimal certain to be finite (below 1e300) without parsing it. */
const PLAIN_FINITE_MAX_LENGTH = 300

/**
 * Whether `+text` is finite. The book parses every level again, so the common plain form is only
 * scanned here, not converted.
 */
function isFiniteDecimal(text: string): boolean {
  if (isPlainDecimal(text)) return text.length <= PLAIN_FINITE_MAX_LENGTH || Number.isFinite(+text)
  return Number.isFinite(+text)
}

/**
 * Levels as `[price, size]` string pairs, or null when any level is malformed. A well-formed wire
 * level (exactly two strings) is a fresh array from `JSON.parse` and is used as the pair itself.
 */
export function parseRawLevels(value: unknown): RawLevel[] | null {
  if (!Array.isArray(value)) return null
  let levels: RawLevel[] | null = null
  for (let index = 0; index < value.length; index++) {
    const level: unknown = value[index]
    if (!Array.isArray(level) || level.length < 2) return null
    const price: unknown = level[0]
    const size: unknown = level[1]
    if (typeof price !== 'string' || typeof size !== 'string') return null
    if (price.length === 0 || size.length === 0) return null
    if (!isFiniteDecimal(price) || !isFiniteDecimal(size)) return null
    // Longer levels are copied to pairs, once the first one is met.
    if (level.length !== 2 && levels === null) levels = (value as RawLevel[]).slice(0, index)
    if (levels !== null) levels.push(level.length === 2 ? (level as unknown as RawLevel) : [price, size])
  }
  return levels ?? (value as RawLevel[])
}

/** Parses a `depthUpdate` payload (the `data` of a combined frame); null when malformed. */
export function parseBinanceDepthUpdate(data: WireObject): BinanceDepthUpdate | null {
  const venueSymbol = stringOf(data.s)
  const firstUpdateId = numberOf(data.U)
  const finalUpdateId = numberOf(data.u)
  const bids = parseRawLevels(data.b)
  const asks = parseRawLevels(data.a)
  if (
    venueSymbol === null ||
    !Number.isInteger(firstUpdateId) ||
    !Number.isInteger(finalUpdateId) ||
    finalUpdateId < firstUpdateId ||
    bids === null ||
    asks === null
  ) {
    return null
  }
  const previous = data.pu
  if (previous !== undefined && !Number.isInteger(previous)) return null
  const eventTime = numberOf(data.E)
  return {
    venueSymbol,
    firstUpdateId,
    finalUpdateId,
    previousFinalUpdateId: typeof previous === 'number' ? previous : null,
    eventTime: Number.isFinite(eventTime) ? eventTime : null,
    bids,
    asks,
  }
}

/** Parses a depth snapshot (REST body or partial-depth payload); null when malformed. */
export function parseBinanceDepthSnapshot(value: unknown): BinanceDepthSnapshot | null {
  if (!isObject(value)) return null
  const lastUpdateId = readNumber(value, 'lastUpdateId')
  const bids = parseRawLevels(value.bids)
  const asks = parseRawLevels(value.asks)
  if (!Number.isInteger(lastUpdateId) || bids === null || asks === null) return null
  return { lastUpdateId, bids, asks }
}
