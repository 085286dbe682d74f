import type { BalanceEvent, DecodeContext, ErrorEvent, MarketEvent, OrderEvent } from '@tickmesh/core'
import type { WireObject } from './decode-helpers'
import { decodeError, isObject, readNumber, readString, resolveSymbol } from './decode-helpers'

const ORDER_STATUS: Readonly<Record<string, OrderEvent['status']>> = {
  NEW: 'new',
  PARTIALLY_FILLED: 'partially_filled',
  FILLED: 'filled',
  CANCELED: 'canceled',
  // A cancel in flight is still live until the venue confirms it.
  PENDING_CANCEL: 'new',
  PENDING_NEW: 'new',
  REJECTED: 'rejected',
  EXPIRED: 'expired',
  EXPIRED_IN_MATCH: 'expired',
}

/** `executionReport` → `order`. Amounts are the order's; `filled` is the cumulative quantity `z`. */
export function decodeBinanceOrder(
  data: WireObject,
  frame: string,
  context: DecodeContext,
): OrderEvent | ErrorEvent {
  const venueSymbol = readString(data, 's')
  const orderId = readNumber(data, 'i')
  const sideText = readString(data, 'S')
  const type = readString(data, 'o')
  const statusText = readString(data, 'X')
  const filled = readNumber(data, 'z')
  const status = statusText === null ? undefined : ORDER_STATUS[statusText]
  if (
    venueSymbol === null ||
    !Number.isFinite(orderId) ||
    (sideText !== 'BUY' && sideText !== 'SELL') ||
    type === null ||
    status === undefined ||
    !Number.isFinite(filled)
  ) {
    return decodeError(
      'Binance executionReport with a missing or mistyped field (s, i, S, o, X, z).',
      frame,
      context,
    )
  }
  const symbol = resolveSymbol(venueSymbol, context)
  if (symbol === null) return decodeError(`Unknown Binance symbol "${venueSymbol}".`, frame, context)
  const price = readNumber(data, 'p')
  const amount = readNumber(data, 'q')
  const cumulativeQuote = readNumber(data, 'Z')
  const eventTime = readNumber(data, 'E')
  // A cancel reports the id being canceled in `C`; the order's own client id is then in `C`, not `c`.
  const clientOrderId =
    statusText === 'CANCELED' ? (readString(data, 'C') ?? readString(data, 'c')) : readString(data, 'c')
  return {
    kind: 'order',
    venue: 'binance',
    market: context.market,
    symbol,
    venueSymbol,
    exchangeTime: Number.isFinite(eventTime) ? eventTime : null,
    receivedAt: context.receivedAt,
    orderId: String(orderId),
    clientOrderId,
    side: sideText === 'BUY' ? 'buy' : 'sell',
    type: type.toLowerCase(),
    status,
    // Market orders carry price "0.00000000": unknown, not zero.
    price: Number.isFinite(price) && price > 0 ? price : null,
    amount: Number.isFinite(amount) && amount > 0 ? amount : null,
    filled,
    averagePrice: filled > 0 && Number.isFinite(cumulativeQuote) ? cumulativeQuote / filled : null,
  }
}

/** `outboundAccountPosition` → one `balance` per asset (absolute free/locked). */
export function decodeBinanceBalances(
  data: WireObject,
  frame: string,
  context: DecodeContext,
  out: MarketEvent[],
): void {
  const balances = data.B
  if (!Array.isArray(balances)) {
    out.push(decodeError('Binance outboundAccountPosition without a B array.', frame, context))
    return
  }
  const eventTime = readNumber(data, 'E')
  for (const entry of balances) {
    if (!isObject(entry)) {
      out.push(decodeError('Binance balance entry is not an object.', frame, context))
      continue
    }
    const asset = readString(entry, 'a')
    const free = readNumber(entry, 'f')
    const locked = readNumber(entry, 'l')
    if (asset === null || !Number.isFinite(free) || !Number.isFinite(locked)) {
      out.push(
        decodeError('Binance balance entry with a missing or mistyped field (a, f, l).', frame, context),
      )
      continue
    }
    const event: BalanceEvent = {
      kind: 'balance',
      venue: 'binance',
      market: context.market,
      asset,
      free,
      locked,
      exchangeTime: Number.isFinite(eventTime) ? eventTime : null,
      receivedAt: context.receivedAt,
    }
    out.push(event)
  }
}
