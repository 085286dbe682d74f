import type { BboEvent, DecodeContext, ErrorEvent } from '@tickmesh/core'
import type { WireObject } from './decode-helpers'
import { decodeError, numberOf, optionalNumberOf, resolveSymbol, stringOf } from './decode-helpers'

/** `bookTicker` → `bbo`. Spot sends no timestamp (exchangeTime null); futures adds `E`. */
export function decodeBinanceBbo(
  data: WireObject,
  frame: string,
  context: DecodeContext,
): BboEvent | ErrorEvent {
  const venueSymbol = stringOf(data.s)
  const bidPrice = numberOf(data.b)
  const askPrice = numberOf(data.a)
  if (venueSymbol === null || !Number.isFinite(bidPrice) || !Number.isFinite(askPrice)) {
    return decodeError('Binance bookTicker without a valid symbol, bid or ask.', frame, context)
  }
  const symbol = resolveSymbol(venueSymbol, context)
  if (symbol === null) return decodeError(`Unknown Binance symbol "${venueSymbol}".`, frame, context)
  return {
    kind: 'bbo',
    venue: 'binance',
    market: context.market,
    symbol,
    venueSymbol,
    exchangeTime: optionalNumberOf(data.E),
    receivedAt: context.receivedAt,
    bidPrice,
    bidSize: optionalNumberOf(data.B),
    askPrice,
    askSize: optionalNumberOf(data.A),
  }
}
