import type { RawLevel } from '@tickmesh/core'
import { isPlainDecimal, parseWireDecimal } from '@tickmesh/core'
import { isRecord, type JsonRecord } from './okx-decode-context'

/** Channels whose frames carry order-book levels. */
export const OKX_BOOK_CHANNELS = new Set(['books', 'books5', 'bbo-tbt', 'books50-l2-tbt', 'books-l2-tbt'])

/** Incremental channels (snapshot + updates under `seqId`/`prevSeqId`); the rest send full snapshots. */
export const OKX_INCREMENTAL_BOOK_CHANNELS = new Set(['books', 'books50-l2-tbt', 'books-l2-tbt'])

/** One book message's data item, with the level strings exactly as received (for the checksum). */
export interface OkxBookUpdate {
  channel: string
  instId: string
  /** `snapshot` or `update`; channels without `action` (books5, bbo-tbt) are always snapshots. */
  action: 'snapshot' | 'update'
  bids: RawLevel[]
  asks: RawLevel[]
  seqId: number | null
  /** -1 on a snapshot; equals the previous `seqId` on an update; equals `seqId` on a heartbeat. */
  prevSeqId: number | null
  /** CRC32 of the top 25 levels as a signed int32; 0 when the venue did not send one. */
  checksum: number
  ts: number | null
}

export type ParseBookResult = { success: true; updates: OkxBookUpdate[] } | { success: false; error: string }

const NUMERIC = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i

/** A wire decimal as NUMERIC describes it, and finite (`1e999` fits the pattern but is Infinity). */
function isWireNumber(text: string): boolean {
  // A plain decimal of at most 300 characters is below 1e300: finite without parsing it.
  if (isPlainDecimal(text)) return text.length <= PLAIN_FINITE_MAX_LENGTH || Number.isFinite(+text)
  return NUMERIC.test(text) && Number.isFinite(+text)
}

const PLAIN_FINITE_MAX_LENGTH = 300

function parseLevels(value: unknown, side: string): RawLevel[] | string {
  if (value === undefined) return []
  if (!Array.isArray(value)) return `${side} is not a list`
  const levels: RawLevel[] = new Array(value.length)
  for (let i = 0; i < value.length; i++) {
    const level: unknown = value[i]
    if (!Array.isArray(level) || level.length < 2) return `${side}[${i}] is not a [price, size, …] level`
    const price: unknown = level[0]
    const size: unknown = level[1]
    if (
      typeof price !== 'string' ||
      typeof size !== 'string' ||
      !isWireNumber(price) ||
      !isWireNumber(size)
    ) {
      return `${side}[${i}] has a non-numeric price or size`
    }
    levels[i] = [price, size]
  }
  return levels
}

function optionalInteger(value: unknown): number | null | undefined {
  if (value === undefined || value === null) return null
  const number = typeof value === 'string' && value.length > 0 ? parseWireDecimal(value) : value
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : undefined
}

/**
 * Parses an already-JSON-parsed book message (`books`, `books5`, `bbo-tbt`, `books*-l2-tbt`) into raw
 * levels and sequence ids, without touching any book. The book sync applies these under its rules.
 */
export function parseOkxBookMessage(message: JsonRecord): ParseBookResult {
  const arg = message.arg
  if (!isRecord(arg) || typeof arg.channel !== 'string')
    return { success: false, error: 'missing arg.channel' }
  const channel = arg.channel
  if (!OKX_BOOK_CHANNELS.has(channel)) return { success: false, error: `${channel} is not a book channel` }
  const argInstId = typeof arg.instId === 'string' ? arg.instId : null
  const action = message.action ?? 'snapshot'
  if (action !== 'snapshot' && action !== 'update')
    return { success: false, error: `unknown action ${String(action)}` }
  const data = message.data
  if (!Array.isArray(data)) return { success: false, error: 'data is not a list' }
  const updates: OkxBookUpdate[] = []
  for (const item of data) {
    if (!isRecord(item)) return { success: false, error: 'data item is not an object' }
    const instId = typeof item.instId === 'string' ? item.instId : argInstId
    if (instId === null) return { success: false, error: 'missing instId' }
    const bids = parseLevels(item.bids, 'bids')
    if (typeof bids === 'string') return { success: false, error: bids }
    const asks = parseLevels(item.asks, 'asks')
    if (typeof asks === 'string') return { success: false, error: asks }
    const seqId = optionalInteger(item.seqId)
    const prevSeqId = optionalInteger(item.prevSeqId)
    const checksum = optionalInteger(item.checksum)
    if (seqId === undefined || prevSeqId === undefined || checksum === undefined) {
      return { success: false, error: 'seqId, prevSeqId or checksum is not an integer' }
    }
    const ts = optionalInteger(item.ts)
    updates.push({
      channel,
      instId,
      action,
      bids,
      asks,
      seqId,
      prevSeqId,
      checksum: checksum ?? 0,
      ts: ts ?? null,
    })
  }
  return { success: true, updates }
}
