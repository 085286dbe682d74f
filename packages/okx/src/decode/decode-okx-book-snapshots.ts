import type { BookLevel, MarketEvent, RawLevel } from '@tickmesh/core'
import { parseWireDecimal } from '@tickmesh/core'
import { decodeErrorEvent, type OkxDecodeContext, resolveInstrument, scaledSize } from './okx-decode-context'
import type { OkxBookUpdate } from './parse-okx-book'

/** Raw string levels → numeric `[price, size]` levels in base units. */
export function toBookLevels(levels: readonly RawLevel[], sizeScale: number): BookLevel[] {
  const result: BookLevel[] = new Array(levels.length)
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!
    result[i] = [parseWireDecimal(level[0]), scaledSize(level[1], sizeScale)]
  }
  return result
}

/**
 * Channels that send the whole (shallow) book in every message need no sync: `books5` becomes a
 * snapshot `book` event and `bbo-tbt` a `bbo` event.
 */
export function decodeOkxBookSnapshots(
  updates: readonly OkxBookUpdate[],
  frame: string,
  context: OkxDecodeContext,
  out: MarketEvent[],
): void {
  for (const update of updates) {
    const instrument = resolveInstrument(update.instId, context)
    if (!instrument) {
      out.push(decodeErrorEvent(`${update.channel}: unsupported instId ${update.instId}.`, frame, context))
      continue
    }
    if (update.channel === 'bbo-tbt') {
      const bid = update.bids[0]
      const ask = update.asks[0]
      out.push({
        kind: 'bbo',
        venue: 'okx',
        market: instrument.market,
        symbol: instrument.symbol,
        venueSymbol: instrument.instId,
        exchangeTime: update.ts,
        receivedAt: context.receivedAt,
        bidPrice: bid ? parseWireDecimal(bid[0]) : null,
        bidSize: bid ? scaledSize(bid[1], instrument.sizeScale) : null,
        askPrice: ask ? parseWireDecimal(ask[0]) : null,
        askSize: ask ? scaledSize(ask[1], instrument.sizeScale) : null,
      })
      continue
    }
    out.push({
      kind: 'book',
      venue: 'okx',
      market: instrument.market,
      symbol: instrument.symbol,
      venueSymbol: instrument.instId,
      exchangeTime: update.ts,
      receivedAt: context.receivedAt,
      bids: toBookLevels(update.bids, instrument.sizeScale),
      asks: toBookLevels(update.asks, instrument.sizeScale),
      sequence: update.seqId,
      isSnapshot: true,
    })
  }
}
