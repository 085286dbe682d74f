import { formatPrice, formatSize } from '../../shared/index'
import type { SimTrade } from '../../sim-types'
import { coinbaseTime, simOrderId } from './coinbase-frames'

/** The simulated user behind the accepted API key. */
export const COINBASE_SIM_USER = {
  userId: '5844eceecf7e803e259d0365',
  profileId: '765d1549-9660-4be2-97d4-fa2d65fa3352',
}

/**
 * A synthetic own order filled as maker by `trade`: `received` → `open` → `match` → `done`, in the
 * user channel's shapes (the match names us with the maker fields, `side` is our maker side).
 */
export function userOrderFrames(trade: SimTrade, sequence: number, orderNumber: number): string[] {
  const { instrument } = trade
  const orderId = simOrderId(orderNumber, 977)
  const ourSide = trade.side === 'buy' ? 'sell' : 'buy'
  const price = formatPrice(instrument, trade.priceTicks)
  const size = formatSize(instrument, trade.sizeLots)
  const time = coinbaseTime(trade.time)
  const user = { user_id: COINBASE_SIM_USER.userId, profile_id: COINBASE_SIM_USER.profileId }
  return [
    JSON.stringify({
      type: 'received',
      time,
      product_id: instrument.venueSymbol,
      sequence,
      order_id: orderId,
      size,
      price,
      side: ourSide,
      order_type: 'limit',
      client_oid: simOrderId(orderNumber, 31),
      ...user,
    }),
    JSON.stringify({
      type: 'open',
      time,
      product_id: instrument.venueSymbol,
      sequence,
      order_id: orderId,
      price,
      remaining_size: size,
      side: ourSide,
      ...user,
    }),
    JSON.stringify({
      type: 'match',
      trade_id: trade.id,
      maker_order_id: orderId,
      taker_order_id: simOrderId(trade.id * 2 + 1, 0),
      side: ourSide,
      size,
      price,
      product_id: instrument.venueSymbol,
      sequence,
      time,
      ...user,
      maker_user_id: COINBASE_SIM_USER.userId,
      maker_profile_id: COINBASE_SIM_USER.profileId,
      maker_fee_rate: '0.004',
    }),
    JSON.stringify({
      type: 'done',
      time,
      product_id: instrument.venueSymbol,
      sequence,
      price,
      order_id: orderId,
      reason: 'filled',
      side: ourSide,
      remaining_size: formatSize(instrument, 0),
      ...user,
    }),
  ]
}

/** The `balance` channel frame for one currency. */
export function balanceFrame(currency: string, available: number, holds: number, time: number): string {
  const iso = coinbaseTime(time)
  return JSON.stringify({
    type: 'balance',
    account_id: simOrderId(currency.charCodeAt(0) * 131 + currency.length, 7),
    currency,
    holds: holds.toFixed(8),
    available: available.toFixed(8),
    updated: iso,
    timestamp: iso,
  })
}
