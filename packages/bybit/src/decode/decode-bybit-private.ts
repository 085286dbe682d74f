import type { Market, OrderEvent } from '@tickmesh/core'
import { toNullableNumber, toNumber } from '@tickmesh/core'
import type { DecodeScope } from './decode-scope'
import { isRecord, pushDecodeError, resolveSymbol, toTime } from './decode-scope'

const ORDER_STATUS: Record<string, OrderEvent['status']> = {
  Created: 'new',
  New: 'new',
  Untriggered: 'new',
  Triggered: 'new',
  PartiallyFilled: 'partially_filled',
  Filled: 'filled',
  Cancelled: 'canceled',
  PartiallyFilledCanceled: 'canceled',
  Deactivated: 'canceled',
  Rejected: 'rejected',
}

function categoryMarket(category: unknown): Market | null {
  return category === 'spot' || category === 'linear' || category === 'inverse' ? category : null
}

/** Private `order` topic: one event per order in `data` (options are not a tickmesh market: skipped). */
export function decodeBybitOrders(message: Record<string, unknown>, scope: DecodeScope): void {
  const data = message.data
  if (!Array.isArray(data)) {
    pushDecodeError(scope, 'Bybit order frame has no data array.')
    return
  }
  for (let index = 0; index < data.length; index++) {
    const order: unknown = data[index]
    if (!isRecord(order)) {
      pushDecodeError(scope, `Bybit order #${index} is not an object.`)
      continue
    }
    const market = categoryMarket(order.category)
    if (market === null) continue
    const symbol = resolveSymbol(scope, order.symbol, market)
    if (symbol === null) continue
    const status = typeof order.orderStatus === 'string' ? ORDER_STATUS[order.orderStatus] : undefined
    const side = order.side === 'Buy' ? 'buy' : order.side === 'Sell' ? 'sell' : null
    const filled = toNumber(order.cumExecQty)
    if (
      status === undefined ||
      side === null ||
      typeof order.orderId !== 'string' ||
      typeof order.orderType !== 'string' ||
      !Number.isFinite(filled)
    ) {
      pushDecodeError(
        scope,
        `Bybit order #${index} has an invalid status, side, id, type or filled size.`,
        symbol,
      )
      continue
    }
    const price = toNullableNumber(order.price)
    const averagePrice = toNullableNumber(order.avgPrice)
    scope.out.push({
      kind: 'order',
      venue: 'bybit',
      market,
      symbol,
      venueSymbol: order.symbol as string,
      exchangeTime: toTime(order.updatedTime) ?? toTime(message.creationTime),
      receivedAt: scope.receivedAt,
      orderId: order.orderId,
      clientOrderId:
        typeof order.orderLinkId === 'string' && order.orderLinkId !== '' ? order.orderLinkId : null,
      side,
      type: order.orderType.toLowerCase(),
      status,
      // Market orders carry price "0" and unfilled orders avgPrice "0": both mean "none".
      price: price === 0 ? null : price,
      amount: toNullableNumber(order.qty),
      filled,
      averagePrice: averagePrice === 0 ? null : averagePrice,
    })
  }
}

/** Private `wallet` topic: one balance event per coin of each account (unified account = spot). */
export function decodeBybitWallet(message: Record<string, unknown>, scope: DecodeScope): void {
  const data = message.data
  if (!Array.isArray(data)) {
    pushDecodeError(scope, 'Bybit wallet frame has no data array.')
    return
  }
  const exchangeTime = toTime(message.creationTime)
  for (const account of data) {
    if (!isRecord(account) || !Array.isArray(account.coin)) {
      pushDecodeError(scope, 'Bybit wallet account has no coin array.')
      continue
    }
    for (const coin of account.coin as unknown[]) {
      if (!isRecord(coin) || typeof coin.coin !== 'string') {
        pushDecodeError(scope, 'Bybit wallet coin entry is invalid.')
        continue
      }
      const balance = toNumber(coin.walletBalance)
      const locked = toNullableNumber(coin.locked) ?? 0
      if (!Number.isFinite(balance)) {
        pushDecodeError(scope, `Bybit wallet balance of ${coin.coin} is not a number.`)
        continue
      }
      scope.out.push({
        kind: 'balance',
        venue: 'bybit',
        market: 'spot',
        asset: coin.coin,
        free: balance - locked,
        locked,
        exchangeTime,
        receivedAt: scope.receivedAt,
      })
    }
  }
}
