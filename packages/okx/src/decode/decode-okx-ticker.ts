import type { MarketEvent } from '@tickmesh/core'
import {
  decodeErrorEvent,
  isRecord,
  type JsonRecord,
  nullableNumber,
  nullableScaled,
  type OkxDecodeContext,
  resolveInstrument,
} from './okx-decode-context'

/**
 * `tickers`: 24h stats + best bid/ask. On SPOT `vol24h` is base and `volCcy24h` quote; on SWAP
 * `vol24h` counts contracts and `volCcy24h` is base, so the quote volume is unknown (null).
 */
export function decodeOkxTicker(
  message: JsonRecord,
  data: readonly unknown[],
  frame: string,
  context: OkxDecodeContext,
  out: MarketEvent[],
): void {
  const arg = message.arg as JsonRecord
  for (const item of data) {
    if (!isRecord(item)) {
      out.push(decodeErrorEvent('tickers data item is not an object.', frame, context))
      continue
    }
    const instrument = resolveInstrument(item.instId ?? arg.instId, context)
    if (!instrument) {
      out.push(decodeErrorEvent(`tickers: unsupported instId ${String(item.instId)}.`, frame, context))
      continue
    }
    const isSpot = instrument.market === 'spot'
    out.push({
      kind: 'ticker',
      venue: 'okx',
      market: instrument.market,
      symbol: instrument.symbol,
      venueSymbol: instrument.instId,
      exchangeTime: nullableNumber(item.ts),
      receivedAt: context.receivedAt,
      last: nullableNumber(item.last),
      bid: nullableNumber(item.bidPx),
      bidSize: nullableScaled(item.bidSz, instrument.sizeScale),
      ask: nullableNumber(item.askPx),
      askSize: nullableScaled(item.askSz, instrument.sizeScale),
      open24h: nullableNumber(item.open24h),
      high24h: nullableNumber(item.high24h),
      low24h: nullableNumber(item.low24h),
      baseVolume24h: nullableNumber(isSpot ? item.vol24h : item.volCcy24h),
      quoteVolume24h: isSpot ? nullableNumber(item.volCcy24h) : null,
    })
  }
}
