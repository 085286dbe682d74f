import type { RawLevel } from '@tickmesh/core'
import { isPlainDecimal, parseWireDecimal } from '@tickmesh/core'
import type { DecodeScope } from './decode-scope'
import { isRecord, pushDecodeError, resolveSymbol, toTime } from './decode-scope'

/** One `orderbook.{depth}.{symbol}` frame with levels kept as the venue's strings. */
export interface BybitBookFrame {
  depth: number
  venueSymbol: string
  symbol: string
  /** `type: "snapshot"`; a delta with `u == 1` also resets (service restart) — see the sequence rule. */
  isSnapshot: boolean
  bids: RawLevel[]
  asks: RawLevel[]
  /** Update id: +1 per message of this topic. */
  updateId: number
  /** Cross sequence, comparable across depths. */
  crossSequence: number | null
  exchangeTime: number | null
}

function parseLevels(value: unknown): RawLevel[] | null {
  if (!Array.isArray(value)) return null
  const levels: RawLevel[] = new Array(value.length)
  for (let index = 0; index < value.length; index++) {
    const level: unknown = value[index]
    if (!Array.isArray(level) || level.length < 2) return null
    const price: unknown = level[0]
    const size: unknown = level[1]
    if (
      typeof price !== 'string' ||
      typeof size !== 'string' ||
      !isPlainDecimal(price) ||
      !isPlainDecimal(size)
    ) {
      return null
    }
    levels[index] = [price, size]
  }
  return levels
}

/** The depth in `orderbook.{depth}.{symbol}`, read in place (no slice per frame); NaN when malformed. */
function topicDepth(topic: string): number {
  const firstDot = topic.indexOf('.')
  const secondDot = topic.indexOf('.', firstDot + 1)
  if (firstDot === -1 || secondDot === -1 || secondDot === firstDot + 1 || secondDot - firstDot > 9) {
    return Number.NaN
  }
  let depth = 0
  for (let i = firstDot + 1; i < secondDot; i++) {
    const code = topic.charCodeAt(i)
    if (code < 48 || code > 57) return Number.NaN
    depth = depth * 10 + (code - 48)
  }
  return depth
}

/** Parses a book frame; pushes a decode error and returns null when malformed. */
export function parseBybitBook(
  topic: string,
  message: Record<string, unknown>,
  scope: DecodeScope,
): BybitBookFrame | null {
  const depth = topicDepth(topic)
  const data = message.data
  if (!Number.isInteger(depth) || depth <= 0 || !isRecord(data)) {
    pushDecodeError(scope, 'Bybit orderbook frame has no data object or an invalid depth.')
    return null
  }
  const symbol = resolveSymbol(scope, data.s)
  if (symbol === null) return null
  const bids = parseLevels(data.b)
  const asks = parseLevels(data.a)
  const updateId = data.u
  if (bids === null || asks === null || typeof updateId !== 'number' || !Number.isSafeInteger(updateId)) {
    pushDecodeError(scope, 'Bybit orderbook frame has invalid levels or update id.', symbol)
    return null
  }
  return {
    depth,
    venueSymbol: data.s as string,
    symbol,
    isSnapshot: message.type === 'snapshot',
    bids,
    asks,
    updateId,
    crossSequence: typeof data.seq === 'number' ? data.seq : null,
    exchangeTime: toTime(message.ts),
  }
}

/** `orderbook.1` is a snapshot-only top of book: the natural bbo source (spot tickers have no bid/ask). */
export function pushBybitBbo(book: BybitBookFrame, scope: DecodeScope): void {
  const bid = book.bids[0]
  const ask = book.asks[0]
  scope.out.push({
    kind: 'bbo',
    venue: 'bybit',
    market: scope.market,
    symbol: book.symbol,
    venueSymbol: book.venueSymbol,
    exchangeTime: book.exchangeTime,
    receivedAt: scope.receivedAt,
    bidPrice: bid === undefined ? null : parseWireDecimal(bid[0]),
    bidSize: bid === undefined ? null : parseWireDecimal(bid[1]),
    askPrice: ask === undefined ? null : parseWireDecimal(ask[0]),
    askSize: ask === undefined ? null : parseWireDecimal(ask[1]),
  })
}
