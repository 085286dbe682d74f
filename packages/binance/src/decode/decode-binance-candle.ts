import type { CandleEvent, DecodeContext, ErrorEvent } from '@tickmesh/core'
import { toCandleInterval } from '../binance-symbols'
import type { WireObject } from './decode-helpers'
import { decodeError, isObject, readNumber, readString, resolveSymbol } from './decode-helpers'

/** `kline` → `candle`; intervals without a unified spelling (8h, 3d, 1M) are skipped (null). */
export function decodeBinanceCandle(
  data: WireObject,
  frame: string,
  context: DecodeContext,
): CandleEvent | ErrorEvent | null {
  const venueSymbol = readString(data, 's')
  const kline = data.k
  if (venueSymbol === null || !isObject(kline)) {
    return decodeError('Binance kline without a symbol or a k object.', frame, context)
  }
  const intervalText = readString(kline, 'i')
  const openTime = readNumber(kline, 't')
  const open = readNumber(kline, 'o')
  const high = readNumber(kline, 'h')
  const low = readNumber(kline, 'l')
  const close = readNumber(kline, 'c')
  const volume = readNumber(kline, 'v')
  const closed = kline.x
  if (
    intervalText === null ||
    !Number.isFinite(openTime) ||
    !Number.isFinite(open) ||
    !Number.isFinite(high) ||
    !Number.isFinite(low) ||
    !Number.isFinite(close) ||
    !Number.isFinite(volume) ||
    typeof closed !== 'boolean'
  ) {
    return decodeError(
      'Binance kline with a missing or mistyped field (i, t, o, h, l, c, v, x).',
      frame,
      context,
    )
  }
  const interval = toCandleInterval(intervalText)
  if (interval === null) return null
  const symbol = resolveSymbol(venueSymbol, context)
  if (symbol === null) return decodeError(`Unknown Binance symbol "${venueSymbol}".`, frame, context)
  const eventTime = readNumber(data, 'E')
  return {
    kind: 'candle',
    venue: 'binance',
    market: context.market,
    symbol,
    venueSymbol,
    exchangeTime: Number.isFinite(eventTime) ? eventTime : null,
    receivedAt: context.receivedAt,
    interval,
    openTime,
    open,
    high,
    low,
    close,
    volume,
    closed,
  }
}
