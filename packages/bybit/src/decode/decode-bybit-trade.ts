import type { DecodeScope } from './decode-scope'
import { isRecord, pushDecodeError, resolveSymbol, toTime, wireNumber } from './decode-scope'

/** `publicTrade.{symbol}`: a snapshot array of up to 1024 trades, oldest first. */
export function decodeBybitTrades(message: Record<string, unknown>, scope: DecodeScope): void {
  const data = message.data
  if (!Array.isArray(data)) {
    pushDecodeError(scope, 'Bybit publicTrade frame has no data array.')
    return
  }
  for (let index = 0; index < data.length; index++) {
    const trade: unknown = data[index]
    if (!isRecord(trade)) {
      pushDecodeError(scope, `Bybit trade #${index} is not an object.`)
      continue
    }
    const symbol = resolveSymbol(scope, trade.s)
    if (symbol === null) continue
    const price = wireNumber(trade.p)
    const amount = wireNumber(trade.v)
    const side = trade.S === 'Buy' ? 'buy' : trade.S === 'Sell' ? 'sell' : null
    const id = trade.i
    if (!Number.isFinite(price) || !Number.isFinite(amount) || side === null || typeof id !== 'string') {
      pushDecodeError(scope, `Bybit trade #${index} has an invalid price, size, side or id.`, symbol)
      continue
    }
    scope.out.push({
      kind: 'trade',
      venue: 'bybit',
      market: scope.market,
      symbol,
      venueSymbol: trade.s as string,
      exchangeTime: toTime(trade.T),
      receivedAt: scope.receivedAt,
      id,
      price,
      amount,
      side,
    })
  }
}
