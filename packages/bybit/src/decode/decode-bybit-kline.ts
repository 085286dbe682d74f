import { toNumber } from '@tickmesh/core'
import { unifiedInterval } from '../bybit-symbols'
import type { DecodeScope } from './decode-scope'
import { isRecord, pushDecodeError, resolveSymbol, toTime } from './decode-scope'

/** `kline.{interval}.{symbol}`: the symbol is only in the topic; `confirm` marks a closed candle. */
export function decodeBybitKline(topic: string, message: Record<string, unknown>, scope: DecodeScope): void {
  const data = message.data
  const venueSymbol = topic.slice(topic.lastIndexOf('.') + 1)
  if (!Array.isArray(data)) {
    pushDecodeError(scope, 'Bybit kline frame has no data array.')
    return
  }
  const symbol = resolveSymbol(scope, venueSymbol)
  if (symbol === null) return
  for (let index = 0; index < data.length; index++) {
    const candle: unknown = data[index]
    if (!isRecord(candle)) {
      pushDecodeError(scope, `Bybit kline #${index} is not an object.`, symbol)
      continue
    }
    // Monthly candles have no unified interval: skipped, not an error.
    const interval = typeof candle.interval === 'string' ? unifiedInterval(candle.interval) : undefined
    if (interval === undefined) continue
    const openTime = toTime(candle.start)
    const open = toNumber(candle.open)
    const high = toNumber(candle.high)
    const low = toNumber(candle.low)
    const close = toNumber(candle.close)
    const volume = toNumber(candle.volume)
    if (
      openTime === null ||
      !Number.isFinite(open) ||
      !Number.isFinite(high) ||
      !Number.isFinite(low) ||
      !Number.isFinite(close) ||
      !Number.isFinite(volume) ||
      typeof candle.confirm !== 'boolean'
    ) {
      pushDecodeError(scope, `Bybit kline #${index} has an invalid field.`, symbol)
      continue
    }
    scope.out.push({
      kind: 'candle',
      venue: 'bybit',
      market: scope.market,
      symbol,
      venueSymbol,
      exchangeTime: toTime(candle.timestamp) ?? toTime(message.ts),
      receivedAt: scope.receivedAt,
      interval,
      openTime,
      open,
      high,
      low,
      close,
      volume,
      closed: candle.confirm,
    })
  }
}
