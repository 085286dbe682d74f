import type { RawLevel } from '@tickmesh/core'
import { isPlainDecimal } from '@tickmesh/core'
import { parseCoinbaseTime } from './parse-coinbase-time'

/** A `level2`/`level2_batch` snapshot: the whole book, levels as the venue's strings. */
export interface CoinbaseBookSnapshot {
  type: 'snapshot'
  productId: string
  bids: RawLevel[]
  asks: RawLevel[]
  /** Snapshots carry no time on the Exchange feed; null unless present. */
  time: number | null
}

/** An `l2update`: new absolute sizes (`"0"` removes). There is no sequence number. */
export interface CoinbaseBookUpdate {
  type: 'l2update'
  productId: string
  bids: RawLevel[]
  asks: RawLevel[]
  time: number | null
}

export type BookParseResult<T> = { success: true; value: T } | { success: false; reason: string }

function isLevel(value: unknown): value is [string, string] {
  return (
    Array.isArray(value) &&
    value.length >= 2 &&
    typeof value[0] === 'string' &&
    typeof value[1] === 'string' &&
    isPlainDecimal(value[0]) &&
    isPlainDecimal(value[1])
  )
}

function parseLevels(value: unknown, side: string): RawLevel[] | string {
  if (!Array.isArray(value)) return `${side} is not an array`
  const levels: RawLevel[] = new Array(value.length)
  for (let i = 0; i < value.length; i++) {
    const level = value[i]
    if (!isLevel(level)) return `${side}[${i}] is not a [price, size] pair of decimal strings`
    levels[i] = [level[0], level[1]]
  }
  return levels
}

/** Parses a `snapshot` message (already JSON-parsed); never throws. */
export function parseCoinbaseSnapshot(
  message: Record<string, unknown>,
): BookParseResult<CoinbaseBookSnapshot> {
  const productId = message.product_id
  if (typeof productId !== 'string' || productId.length === 0) {
    return { success: false, reason: 'snapshot without a product_id' }
  }
  const bids = parseLevels(message.bids, 'bids')
  if (typeof bids === 'string') return { success: false, reason: `snapshot ${bids}` }
  const asks = parseLevels(message.asks, 'asks')
  if (typeof asks === 'string') return { success: false, reason: `snapshot ${asks}` }
  return {
    success: true,
    value: { type: 'snapshot', productId, bids, asks, time: parseCoinbaseTime(message.time) },
  }
}

/** Parses an `l2update` message (already JSON-parsed) into bid and ask changes; never throws. */
export function parseCoinbaseL2Update(message: Record<string, unknown>): BookParseResult<CoinbaseBookUpdate> {
  const productId = message.product_id
  if (typeof productId !== 'string' || productId.length === 0) {
    return { success: false, reason: 'l2update without a product_id' }
  }
  const changes = message.changes
  if (!Array.isArray(changes)) return { success: false, reason: 'l2update changes is not an array' }
  const bids: RawLevel[] = []
  const asks: RawLevel[] = []
  for (let i = 0; i < changes.length; i++) {
    const change: unknown = changes[i]
    if (
      !Array.isArray(change) ||
      change.length < 3 ||
      typeof change[1] !== 'string' ||
      typeof change[2] !== 'string' ||
      !isPlainDecimal(change[1]) ||
      !isPlainDecimal(change[2])
    ) {
      return { success: false, reason: `l2update changes[${i}] is not [side, price, size]` }
    }
    if (change[0] === 'buy') bids.push([change[1], change[2]])
    else if (change[0] === 'sell') asks.push([change[1], change[2]])
    else return { success: false, reason: `l2update changes[${i}] has side ${String(change[0])}` }
  }
  return {
    success: true,
    value: { type: 'l2update', productId, bids, asks, time: parseCoinbaseTime(message.time) },
  }
}
