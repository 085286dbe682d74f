import type { BalanceEvent, DecodeContext, MarketEvent, OrderEvent } from '@tickmesh/core'
import { toNullableNumber } from '@tickmesh/core'
import type { CoinbaseOrderTracker, TrackedOrder } from './coinbase-order-tracker'
import { symbolForProduct } from './coinbase-symbol'
import { decodeErrorEvent } from './decode-error-event'
import { parseCoinbaseTime } from './parse-coinbase-time'

type OrderStatus = OrderEvent['status']

/** User-channel match messages name the user; public `matches` ones do not. */
export function isUserMatch(message: Record<string, unknown>): boolean {
  return (
    message.user_id !== undefined ||
    message.profile_id !== undefined ||
    message.taker_user_id !== undefined ||
    message.maker_user_id !== undefined
  )
}

function side(value: unknown): 'buy' | 'sell' | null {
  return value === 'buy' || value === 'sell' ? value : null
}

/**
 * Normalizes one `user` channel message (`received`, `open`, `match`, `change`, `done`, `activate`)
 * into an `order` event. With a tracker, `filled` and `averagePrice` are cumulative over the order's
 * life; without one (the pure `decode`), they are what this one message proves.
 */
export function decodeCoinbaseUserOrder(
  message: Record<string, unknown>,
  frame: string,
  context: DecodeContext,
  tracker: CoinbaseOrderTracker | null,
): MarketEvent[] {
  const type = message.type as string
  const productId = message.product_id
  if (typeof productId !== 'string') return [decodeErrorEvent(`${type} without a product_id`, frame, context)]
  const symbol = symbolForProduct(productId, context)
  if (symbol === null)
    return [decodeErrorEvent(`${type} has an unknown product ${productId}`, frame, context)]

  let orderId: unknown = message.order_id
  let orderSide = side(message.side)
  if (type === 'match') {
    // `side` is the maker's; our order is the taker one when the taker fields name us.
    const weAreTaker = message.taker_user_id !== undefined || message.taker_profile_id !== undefined
    orderId = weAreTaker ? message.taker_order_id : message.maker_order_id
    if (weAreTaker && orderSide !== null) orderSide = orderSide === 'buy' ? 'sell' : 'buy'
  }
  if (typeof orderId !== 'string' || orderSide === null) {
    return [decodeErrorEvent(`${type} without an order id or side`, frame, context, symbol)]
  }

  const known = tracker?.get(orderId)
  const order: TrackedOrder = known ?? {
    productId,
    side: orderSide,
    type: typeof message.order_type === 'string' ? message.order_type : 'limit',
    clientOrderId: null,
    price: null,
    amount: null,
    filled: 0,
    notional: 0,
  }
  let status: OrderStatus
  const price = toNullableNumber(message.price)
  if (price !== null && type !== 'match') order.price = price

  switch (type) {
    case 'received': {
      order.type = typeof message.order_type === 'string' ? message.order_type : order.type
      order.clientOrderId = typeof message.client_oid === 'string' ? message.client_oid : null
      order.amount = toNullableNumber(message.size)
      status = 'new'
      break
    }
    case 'open': {
      const remaining = toNullableNumber(message.remaining_size)
      if (order.amount === null && remaining !== null) order.amount = order.filled + remaining
      status = order.filled > 0 ? 'partially_filled' : 'new'
      break
    }
    case 'activate': {
      order.type = 'stop'
      order.amount = toNullableNumber(message.size) ?? order.amount
      status = 'new'
      break
    }
    case 'change': {
      const newSize = toNullableNumber(message.new_size)
      if (newSize !== null) order.amount = order.filled + newSize
      status = order.filled > 0 ? 'partially_filled' : 'new'
      break
    }
    case 'match': {
      const size = toNullableNumber(message.size)
      if (size === null || price === null) {
        return [decodeErrorEvent('user match without a price or size', frame, context, symbol)]
      }
      order.filled += size
      order.notional += size * price
      status = order.amount !== null && order.filled >= order.amount ? 'filled' : 'partially_filled'
      break
    }
    case 'done': {
      const remaining = toNullableNumber(message.remaining_size)
      if (message.reason === 'filled') {
        status = 'filled'
        if (order.amount !== null) order.filled = order.amount
      } else {
        status = 'canceled'
        if (order.amount === null && remaining !== null) order.amount = order.filled + remaining
      }
      break
    }
    default:
      return []
  }

  if (tracker !== null) {
    if (status === 'filled' || status === 'canceled') tracker.delete(orderId)
    else tracker.set(orderId, order)
  }
  const event: OrderEvent = {
    kind: 'order',
    venue: 'coinbase',
    market: context.market,
    symbol,
    venueSymbol: productId,
    exchangeTime: parseCoinbaseTime(message.time),
    receivedAt: context.receivedAt,
    orderId,
    clientOrderId: order.clientOrderId,
    side: order.side,
    type: order.type,
    status,
    price: order.price,
    amount: order.amount,
    filled: order.filled,
    // 12 significant digits: fills at one price average to that price exactly, not to 59854.83999999999.
    averagePrice:
      order.filled > 0 && order.notional > 0 ? Number((order.notional / order.filled).toPrecision(12)) : null,
  }
  return [event]
}

/** The `balance` channel: `{type, account_id, currency, holds, available, updated, timestamp}`. */
export function decodeCoinbaseBalance(
  message: Record<string, unknown>,
  frame: string,
  context: DecodeContext,
): MarketEvent[] {
  const asset = message.currency
  const free = toNullableNumber(message.available)
  const locked = toNullableNumber(message.holds)
  if (typeof asset !== 'string' || free === null || locked === null) {
    return [decodeErrorEvent('balance without currency, available or holds', frame, context)]
  }
  const event: BalanceEvent = {
    kind: 'balance',
    venue: 'coinbase',
    market: context.market,
    asset,
    free,
    locked,
    exchangeTime: parseCoinbaseTime(message.updated) ?? parseCoinbaseTime(message.timestamp),
    receivedAt: context.receivedAt,
  }
  return [event]
}
