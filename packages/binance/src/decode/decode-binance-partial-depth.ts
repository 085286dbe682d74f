import type { BookEvent, DecodeContext, ErrorEvent } from '@tickmesh/core'
import type { WireObject } from './decode-helpers'
import { decodeError, resolveSymbol } from './decode-helpers'
import { parseBinanceDepthSnapshot } from './parse-binance-depth'

/**
 * `<s>@depth<N>` partial book → a snapshot `book` event. The payload has no symbol, so it comes from
 * the combined stream name; on a raw `/ws/<stream>` connection the frame cannot be attributed.
 */
export function decodeBinancePartialDepth(
  data: WireObject,
  streamName: string | null,
  frame: string,
  context: DecodeContext,
): BookEvent | ErrorEvent {
  const snapshot = parseBinanceDepthSnapshot(data)
  if (snapshot === null) return decodeError('Binance partial depth with malformed levels.', frame, context)
  const at = streamName === null ? -1 : streamName.indexOf('@')
  if (streamName === null || at <= 0) {
    return decodeError(
      'Binance partial depth outside a combined stream: no symbol to attribute it to.',
      frame,
      context,
    )
  }
  const venueSymbol = streamName.slice(0, at).toUpperCase()
  const symbol = resolveSymbol(venueSymbol, context)
  if (symbol === null) return decodeError(`Unknown Binance symbol "${venueSymbol}".`, frame, context)
  return {
    kind: 'book',
    venue: 'binance',
    market: context.market,
    symbol,
    venueSymbol,
    exchangeTime: null,
    receivedAt: context.receivedAt,
    bids: snapshot.bids.map(toLevel),
    asks: snapshot.asks.map(toLevel),
    sequence: snapshot.lastUpdateId,
    isSnapshot: true,
  }
}

function toLevel(level: readonly [string, string]): [number, number] {
  return [+level[0], +level[1]]
}
