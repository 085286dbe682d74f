import type { MarketEvent, OrderEvent } from '@tickmesh/core'
import {
  decodeErrorEvent,
  isRecord,
  nullableNumber,
  nullableScaled,
  type OkxDecodeContext,
  resolveInstrument,
} from './okx-decode-context'

const ORDER_STATUS: Record<string, OrderEvent['status']> = {
  live: 'new',
  partially_filled: 'partially_filled',
  filled: 'filled',
  canceled: 'canceled',
  mmp_canceled: 'canceled',
}

/** Private `orders` channel: one `order` event per data item; sizes in base units. */
export function decodeOkxOrders(
  data: readonly unknown[],
  frame: string,
  context: OkxDecodeContext,
  out: MarketEvent[],
): void {
  for (const item of data) {
    if (!isRecord(item)) {
      out.push(decodeErrorEvent('orders data item is not an object.', frame, context))
      continue
    }
    const instrument = resolveInstrument(item.instId, context)
    if (!instrument) {
      out.push(decodeErrorEvent(`orders: unsupported instId ${String(item.instId)}.`, frame, context))
      continue
    }
    const status = typeof item.state === 'string' ? ORDER_STATUS[item.state] : undefined
    const side = item.side
    const filled = nullableScaled(item.accFillSz, instrument.sizeScale) ?? 0
    if (status === undefined || (side !== 'buy' && side !== 'sell') || typeof item.ordId !== 'string') {
      out.push(
        decodeErrorEvent(
          'orders item has an invalid state, side or ordId.',
          frame,
          context,
          instrument.symbol,
        ),
      )
      continue
    }
    out.push({
      kind: 'order',
      venue: 'okx',
      market: instrument.market,
      symbol: instrument.symbol,
      venueSymbol: instrument.instId,
      exchangeTime: nullableNumber(item.uTime),
      receivedAt: context.receivedAt,
      orderId: item.ordId,
      clientOrderId: typeof item.clOrdId === 'string' && item.clOrdId.length > 0 ? item.clOrdId : null,
      side,
      type: typeof item.ordType === 'string' ? item.ordType : 'unknown',
      status,
      price: nullableNumber(item.px),
      amount: nullableScaled(item.sz, instrument.sizeScale),
      filled,
      averagePrice: nullableNumber(item.avgPx),
    })
  }
}

/** Private `account` channel: one `balance` event per currency in `details`. */
export function decodeOkxAccount(
  data: readonly unknown[],
  frame: string,
  context: OkxDecodeContext,
  out: MarketEvent[],
): void {
  for (const item of data) {
    if (!isRecord(item) || !Array.isArray(item.details)) {
      out.push(decodeErrorEvent('account data item has no details list.', frame, context))
      continue
    }
    for (const detail of item.details) {
      if (!isRecord(detail) || typeof detail.ccy !== 'string') {
        out.push(decodeErrorEvent('account detail has no ccy.', frame, context))
        continue
      }
      const free = nullableNumber(detail.availBal)
      const locked = nullableNumber(detail.frozenBal)
      if (free === null || locked === null) {
        out.push(decodeErrorEvent(`account detail ${detail.ccy} has no availBal/frozenBal.`, frame, context))
        continue
      }
      out.push({
        kind: 'balance',
        venue: 'okx',
        market: context.market,
        asset: detail.ccy,
        free,
        locked,
        exchangeTime: nullableNumber(detail.uTime ?? item.uTime),
        receivedAt: context.receivedAt,
      })
    }
  }
}
