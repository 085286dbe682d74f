import type { DecodeContext, ErrorEvent, TradeEvent } from '@tickmesh/core'
import type { WireObject } from './decode-helpers'
import { decodeError, numberOf, readNumber, resolveSymbol, stringOf } from './decode-helpers'

/**
 * `aggTrade` (id `a`) and `trade` (id `t`) → `trade`. `m` = the buyer is the maker, so the taker
 * sold. The exchange time is the trade time `T`, not the event time `E`.
 */
export function decodeBinanceTrade(
  data: WireObject,
  frame: string,
  context: DecodeContext,
  idKey: 'a' | 't',
): TradeEvent | ErrorEvent {
  const venueSymbol = stringOf(data.s)
  const id = readNumber(data, idKey)
  const price = numberOf(data.p)
  const amount = numberOf(data.q)
  const tradeTime = numberOf(data.T)
  const buyerIsMaker = data.m
  if (
    venueSymbol === null ||
    !Number.isFinite(id) ||
    !Number.isFinite(price) ||
    !Number.isFinite(amount) ||
    !Number.isFinite(tradeTime) ||
    typeof buyerIsMaker !== 'boolean'
  ) {
    return decodeError('Binance trade with a missing or mistyped field (s, id, p, q, T, m).', frame, context)
  }
  const symbol = resolveSymbol(venueSymbol, context)
  if (symbol === null) return decodeError(`Unknown Binance symbol "${venueSymbol}".`, frame, context)
  return {
    kind: 'trade',
    venue: 'binance',
    market: context.market,
    symbol,
    venueSymbol,
    exchangeTime: tradeTime,
    receivedAt: context.receivedAt,
    id: String(id),
    price,
    amount,
    side: buyerIsMaker ? 'sell' : 'buy',
  }
}
