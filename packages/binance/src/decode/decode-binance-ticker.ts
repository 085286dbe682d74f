import type { DecodeContext, ErrorEvent, TickerEvent } from '@tickmesh/core'
import type { WireObject } from './decode-helpers'
import { decodeError, numberOf, optionalNumberOf, resolveSymbol, stringOf } from './decode-helpers'

/** `24hrTicker` (full, with best bid/ask on spot) and `24hrMiniTicker` (no bid/ask) → `ticker`. */
export function decodeBinanceTicker(
  data: WireObject,
  frame: string,
  context: DecodeContext,
): TickerEvent | ErrorEvent {
  const venueSymbol = stringOf(data.s)
  const last = numberOf(data.c)
  const eventTime = numberOf(data.E)
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
    bid: optionalNumberOf(data.b),
    bidSize: optionalNumberOf(data.B),
    ask: optionalNumberOf(data.a),
    askSize: optionalNumberOf(data.A),
    open24h: optionalNumberOf(data.o),
    high24h: optionalNumberOf(data.h),
    low24h: optionalNumberOf(data.l),
    baseVolume24h: optionalNumberOf(data.v),
    quoteVolume24h: optionalNumberOf(data.q),
  }
}
