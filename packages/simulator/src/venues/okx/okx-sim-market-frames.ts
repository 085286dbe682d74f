import type { SimInstrument, SimMarket } from '../../sim-types'
import { contractValueOf, okxLevels, okxPx, okxSz } from './okx-sim-format'

// Frames of OKX's snapshot-style public channels, built from the simulated market; keys and value
// types as in the fixtures (doc_books5, doc_bbo-tbt, doc_tickers).

/** `books5`: the top 5 levels each push. */
export function okxBooks5Frame(market: SimMarket, instrument: SimInstrument, seqId: number): string {
  const book = market.book(instrument, 5)
  return JSON.stringify({
    arg: { channel: 'books5', instId: instrument.venueSymbol },
    data: [
      {
        asks: okxLevels(instrument, book.asks),
        bids: okxLevels(instrument, book.bids),
        instId: instrument.venueSymbol,
        ts: String(market.now()),
        seqId,
      },
    ],
  })
}

/** `bbo-tbt`: the best level each side. */
export function okxBboFrame(market: SimMarket, instrument: SimInstrument, seqId: number): string {
  const book = market.book(instrument, 1)
  return JSON.stringify({
    arg: { channel: 'bbo-tbt', instId: instrument.venueSymbol },
    data: [
      {
        asks: okxLevels(instrument, book.asks),
        bids: okxLevels(instrument, book.bids),
        ts: String(market.now()),
        seqId,
      },
    ],
  })
}

/** `tickers`: 24h stats and best bid/ask. */
export function okxTickerFrame(market: SimMarket, instrument: SimInstrument): string {
  const stats = market.stats24h(instrument)
  const book = market.book(instrument, 1)
  const trades = market.trades(instrument)
  const lastTrade = trades[trades.length - 1]
  const bid = book.bids[0]
  const ask = book.asks[0]
  const isSpot = instrument.market === 'spot'
  const baseVolume = stats.baseVolumeLots * instrument.lotSize * contractValueOf(instrument)
  const baseText = baseVolume.toFixed(8).replace(/\.?0+$/, '') || '0'
  const quoteText = stats.quoteVolume.toFixed(4).replace(/\.?0+$/, '') || '0'
  const open = okxPx(instrument, stats.openTicks)
  return JSON.stringify({
    arg: { channel: 'tickers', instId: instrument.venueSymbol },
    data: [
      {
        instType: isSpot ? 'SPOT' : 'SWAP',
        instId: instrument.venueSymbol,
        last: okxPx(instrument, stats.lastTicks),
        lastSz: lastTrade ? okxSz(instrument, lastTrade.sizeLots) : '0',
        askPx: ask ? okxPx(instrument, ask[0]) : '',
        askSz: ask ? okxSz(instrument, ask[1]) : '',
        bidPx: bid ? okxPx(instrument, bid[0]) : '',
        bidSz: bid ? okxSz(instrument, bid[1]) : '',
        open24h: open,
        high24h: okxPx(instrument, stats.highTicks),
        low24h: okxPx(instrument, stats.lowTicks),
        // SPOT: volCcy24h is quote, vol24h base. SWAP: volCcy24h is base, vol24h contracts.
        volCcy24h: isSpot ? quoteText : baseText,
        vol24h: isSpot ? baseText : okxSz(instrument, stats.baseVolumeLots),
        sodUtc0: open,
        sodUtc8: open,
        ts: String(market.now()),
      },
    ],
  })
}
