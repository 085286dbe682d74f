import type { DecodeContext, ErrorEvent, TickerEvent } from '@tickmesh/core'
import type { WireObject } from './decode-helpers'
import { decodeError, readNumber, readOptionalNumber, readString, resolveSymbol } from './decode-helpers'

/** `24hrTicker` (full, with best bid/ask on spot) and `24hrMiniTicker` (no bid/ask) → `ticker`. */
export function decodeBinanceTicker(
  data: WireObject,
  frame: string,
  context: DecodeContext,
): TickerEvent | ErrorEvent {
  const venueSymbol = readString(data, 's')
  const last = readNumber(data, 'c')
  const eventTime = readNumber(data, 'E')
  if (venueSymbol === null || !Number.isFinite(last) || !Number.isFinite(eventTime)) {
    return decodeError('Binance ticker without a valid symbol, last price or event time.', frame, context)
  }
  const symbol = resolveSymbol(venueSymbol, context)
  if (symbol === null) return decodeError(`Unknown Binance symbol "${venueSymbol}".`, frame, context)
  return {
    kind: 'ticker',
    venue: 'binance',
    market: context.market,
    symbol,
    venueSymbol,
    exchangeTime: eventTime,
    receivedAt: context.receivedAt,
    last,
    bid: readOptionalNumber(data, 'b'),
    bidSize: readOptionalNumber(data, 'B'),
    ask: readOptionalNumber(data, 'a'),
    askSize: readOptionalNumber(data, 'A'),
    open24h: readOptionalNumber(data, 'o'),
    high24h: readOptionalNumber(data, 'h'),
    low24h: readOptionalNumber(data, 'l'),
    baseVolume24h: readOptionalNumber(data, 'v'),
    quoteVolume24h: readOptionalNumber(data, 'q'),
  }
}
