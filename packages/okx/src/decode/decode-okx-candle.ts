import type { CandleInterval, MarketEvent } from '@tickmesh/core'
import {
  decodeErrorEvent,
  type JsonRecord,
  type OkxDecodeContext,
  resolveInstrument,
  toFiniteOrNaN,
} from './okx-decode-context'

/**
 * `candle<i>`: rows `[ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]`. Volume is reported in the
 * base currency: `vol` on SPOT, `volCcy` on SWAP (where `vol` counts contracts). The 2022 form has
 * 7 fields and no `confirm`: such candles count as still open.
 */
export function decodeOkxCandles(
  message: JsonRecord,
  data: readonly unknown[],
  interval: CandleInterval,
  frame: string,
  context: OkxDecodeContext,
  out: MarketEvent[],
): void {
  const arg = message.arg as JsonRecord
  const instrument = resolveInstrument(arg.instId, context)
  if (!instrument) {
    out.push(decodeErrorEvent(`candles: unsupported instId ${String(arg.instId)}.`, frame, context))
    return
  }
  for (const row of data) {
    if (!Array.isArray(row) || row.length < 6) {
      out.push(
        decodeErrorEvent('candle row is not a list of at least 6 fields.', frame, context, instrument.symbol),
      )
      continue
    }
    const openTime = toFiniteOrNaN(row[0])
    const open = toFiniteOrNaN(row[1])
    const high = toFiniteOrNaN(row[2])
    const low = toFiniteOrNaN(row[3])
    const close = toFiniteOrNaN(row[4])
    const volume = toFiniteOrNaN(instrument.market === 'spot' ? row[5] : (row[6] ?? row[5]))
    if (
      !Number.isFinite(openTime) ||
      !Number.isFinite(open) ||
      !Number.isFinite(high) ||
      !Number.isFinite(low) ||
      !Number.isFinite(close) ||
      !Number.isFinite(volume)
    ) {
      out.push(decodeErrorEvent('candle row has a non-numeric field.', frame, context, instrument.symbol))
      continue
    }
    out.push({
      kind: 'candle',
      venue: 'okx',
      market: instrument.market,
      symbol: instrument.symbol,
      venueSymbol: instrument.instId,
      exchangeTime: openTime,
      receivedAt: context.receivedAt,
      interval,
      openTime,
      open,
      high,
      low,
      close,
      volume,
      closed: row[8] === '1',
    })
  }
}
