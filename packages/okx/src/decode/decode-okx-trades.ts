import type { MarketEvent } from '@tickmesh/core'
import {
  decodeErrorEvent,
  isRecord,
  type JsonRecord,
  nullableNumber,
  type OkxDecodeContext,
  resolveInstrument,
  scaledSize,
  toFiniteOrNaN,
} from './okx-decode-context'

/** `trades` / `trades-all`: one event per data item; `side` is the taker's side. */
export function decodeOkxTrades(
  message: JsonRecord,
  data: readonly unknown[],
  frame: string,
  context: OkxDecodeContext,
  out: MarketEvent[],
): void {
  const arg = message.arg as JsonRecord
  for (const item of data) {
    if (!isRecord(item)) {
      out.push(decodeErrorEvent('trades data item is not an object.', frame, context))
      continue
    }
    const instrument = resolveInstrument(item.instId ?? arg.instId, context)
    if (!instrument) {
      out.push(decodeErrorEvent(`trades: unsupported instId ${String(item.instId)}.`, frame, context))
      continue
    }
    const price = toFiniteOrNaN(item.px)
    const amount = scaledSize(item.sz, instrument.sizeScale)
    const side = item.side
    const id = item.tradeId
    if (
      !Number.isFinite(price) ||
      !Number.isFinite(amount) ||
      (side !== 'buy' && side !== 'sell') ||
      (typeof id !== 'string' && typeof id !== 'number')
    ) {
      out.push(
        decodeErrorEvent(
          'trades item has an invalid px, sz, side or tradeId.',
          frame,
          context,
          instrument.symbol,
        ),
      )
      continue
    }
    out.push({
      kind: 'trade',
      venue: 'okx',
      market: instrument.market,
      symbol: instrument.symbol,
      venueSymbol: instrument.instId,
      exchangeTime: nullableNumber(item.ts),
      receivedAt: context.receivedAt,
      id: String(id),
      price,
      amount,
      side,
    })
  }
}
