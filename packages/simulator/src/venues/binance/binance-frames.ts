import { formatPrice, formatSize, priceOf, sizeOf } from '../../shared/index'
import type { SimInstrument, SimLevel, SimMarket, SimTrade } from '../../sim-types'

// Frame builders with the exact keys and value types of the real venue (see the fixtures). Spot prints
// prices and sizes with 8 decimals; USDⓈ-M futures with the instrument's own precision.

/** Decimals a market prints with: spot pads to 8, futures prints the instrument's precision. */
function decimalsOf(instrument: SimInstrument): number | undefined {
  return instrument.market === 'spot' ? 8 : undefined
}

export function price(instrument: SimInstrument, ticks: number): string {
  const decimals = decimalsOf(instrument)
  return decimals === undefined
    ? formatPrice(instrument, ticks)
    : formatPrice(instrument, ticks, { decimals })
}

export function size(instrument: SimInstrument, lots: number): string {
  const decimals = decimalsOf(instrument)
  return decimals === undefined ? formatSize(instrument, lots) : formatSize(instrument, lots, { decimals })
}

export function levelsText(instrument: SimInstrument, levels: readonly SimLevel[]): [string, string][] {
  const out: [string, string][] = new Array(levels.length)
  for (let index = 0; index < levels.length; index++) {
    const level = levels[index] as SimLevel
    out[index] = [price(instrument, level[0]), size(instrument, level[1])]
  }
  return out
}

/** Wraps a payload for a combined-stream connection. */
export function envelope(streamName: string, payload: string, combined: boolean): string {
  return combined ? `{"stream":"${streamName}","data":${payload}}` : payload
}

export function aggTradeFrame(trade: SimTrade, eventTime: number): string {
  const instrument = trade.instrument
  return JSON.stringify({
    e: 'aggTrade',
    E: eventTime,
    s: instrument.venueSymbol,
    a: trade.id,
    p: price(instrument, trade.priceTicks),
    q: size(instrument, trade.sizeLots),
    f: trade.id,
    l: trade.id,
    T: trade.time,
    // m: the buyer is the maker, i.e. the taker sold.
    m: trade.side === 'sell',
    ...(instrument.market === 'spot' ? { M: true } : {}),
  })
}

export function tradeFrame(trade: SimTrade, eventTime: number): string {
  const instrument = trade.instrument
  return JSON.stringify({
    e: 'trade',
    E: eventTime,
    s: instrument.venueSymbol,
    t: trade.id,
    p: price(instrument, trade.priceTicks),
    q: size(instrument, trade.sizeLots),
    T: trade.time,
    m: trade.side === 'sell',
    M: true,
  })
}

export function bookTickerFrame(
  instrument: SimInstrument,
  updateId: number,
  bid: SimLevel | undefined,
  ask: SimLevel | undefined,
  eventTime: number,
): string {
  const fields = {
    u: updateId,
    s: instrument.venueSymbol,
    b: price(instrument, bid?.[0] ?? 0),
    B: size(instrument, bid?.[1] ?? 0),
    a: price(instrument, ask?.[0] ?? 0),
    A: size(instrument, ask?.[1] ?? 0),
  }
  // Futures adds the event type and times; spot has none (doc_bookTicker.json).
  return JSON.stringify(
    instrument.market === 'spot' ? fields : { e: 'bookTicker', ...fields, E: eventTime, T: eventTime },
  )
}

export interface DepthBatch {
  firstUpdateId: number
  finalUpdateId: number
  previousFinalUpdateId: number
  bids: Map<number, number>
  asks: Map<number, number>
}

function mapLevels(instrument: SimInstrument, levels: Map<number, number>): [string, string][] {
  const out: [string, string][] = []
  for (const [priceTicks, sizeLots] of levels)
    out.push([price(instrument, priceTicks), size(instrument, sizeLots)])
  return out
}

export function depthUpdateFrame(instrument: SimInstrument, batch: DepthBatch, eventTime: number): string {
  if (instrument.market === 'spot') {
    return JSON.stringify({
      e: 'depthUpdate',
      E: eventTime,
      s: instrument.venueSymbol,
      U: batch.firstUpdateId,
      u: batch.finalUpdateId,
      b: mapLevels(instrument, batch.bids),
      a: mapLevels(instrument, batch.asks),
    })
  }
  return JSON.stringify({
    e: 'depthUpdate',
    E: eventTime,
    T: eventTime,
    s: instrument.venueSymbol,
    U: batch.firstUpdateId,
    u: batch.finalUpdateId,
    pu: batch.previousFinalUpdateId,
    b: mapLevels(instrument, batch.bids),
    a: mapLevels(instrument, batch.asks),
  })
}

export function partialDepthFrame(market: SimMarket, instrument: SimInstrument, levels: number): string {
  const book = market.book(instrument, levels)
  if (instrument.market === 'spot') {
    return JSON.stringify({
      lastUpdateId: book.updateId,
      bids: levelsText(instrument, book.bids),
      asks: levelsText(instrument, book.asks),
    })
  }
  const now = market.now()
  return JSON.stringify({
    e: 'depthUpdate',
    E: now,
    T: now,
    s: instrument.venueSymbol,
    U: book.updateId,
    u: book.updateId,
    pu: book.updateId,
    b: levelsText(instrument, book.bids),
    a: levelsText(instrument, book.asks),
  })
}

export function tickerFrame(market: SimMarket, instrument: SimInstrument, mini: boolean): string {
  const now = market.now()
  const stats = market.stats24h(instrument)
  const trades = market.trades(instrument)
  const first = trades[0]
  const last = trades[trades.length - 1]
  const change = stats.lastTicks - stats.openTicks
  const open = priceOf(instrument, stats.openTicks)
  const baseVolume = sizeOf(instrument, stats.baseVolumeLots)
  const quoteVolume = stats.quoteVolume.toFixed(8)
  if (mini) {
    return JSON.stringify({
      e: '24hrMiniTicker',
      E: now,
      s: instrument.venueSymbol,
      c: price(instrument, stats.lastTicks),
      o: price(instrument, stats.openTicks),
      h: price(instrument, stats.highTicks),
      l: price(instrument, stats.lowTicks),
      v: size(instrument, stats.baseVolumeLots),
      q: quoteVolume,
    })
  }
  const book = market.book(instrument, 1)
  const bid = book.bids[0]
  const ask = book.asks[0]
  const weighted = baseVolume > 0 ? stats.quoteVolume / baseVolume : priceOf(instrument, stats.lastTicks)
  const common = {
    e: '24hrTicker',
    E: now,
    s: instrument.venueSymbol,
    p: price(instrument, change),
    P: open > 0 ? ((priceOf(instrument, change) / open) * 100).toFixed(3) : '0.000',
    w: weighted.toFixed(8),
  }
  const tail = {
    c: price(instrument, stats.lastTicks),
    Q: size(instrument, last?.sizeLots ?? 0),
  }
  const range = {
    o: price(instrument, stats.openTicks),
    h: price(instrument, stats.highTicks),
    l: price(instrument, stats.lowTicks),
    v: size(instrument, stats.baseVolumeLots),
    q: quoteVolume,
    O: now - 86_400_000,
    C: now,
    F: first?.id ?? 0,
    L: last?.id ?? 0,
    n: first && last ? last.id - first.id + 1 : 0,
  }
  if (instrument.market !== 'spot') return JSON.stringify({ ...common, ...tail, ...range })
  return JSON.stringify({
    ...common,
    x: price(instrument, stats.openTicks),
    ...tail,
    b: price(instrument, bid?.[0] ?? 0),
    B: size(instrument, bid?.[1] ?? 0),
    a: price(instrument, ask?.[0] ?? 0),
    A: size(instrument, ask?.[1] ?? 0),
    ...range,
  })
}

/** A kline being built from trades. */
export interface KlineState {
  openTime: number
  intervalMs: number
  interval: string
  firstTradeId: number
  lastTradeId: number
  openTicks: number
  highTicks: number
  lowTicks: number
  closeTicks: number
  volumeLots: number
  quoteVolume: number
  takerBuyLots: number
  takerBuyQuote: number
  count: number
}

export function klineFrame(
  instrument: SimInstrument,
  kline: KlineState,
  eventTime: number,
  closed: boolean,
): string {
  return JSON.stringify({
    e: 'kline',
    E: eventTime,
    s: instrument.venueSymbol,
    k: {
      t: kline.openTime,
      T: kline.openTime + kline.intervalMs - 1,
      s: instrument.venueSymbol,
      i: kline.interval,
      f: kline.firstTradeId,
      L: kline.lastTradeId,
      o: price(instrument, kline.openTicks),
      c: price(instrument, kline.closeTicks),
      h: price(instrument, kline.highTicks),
      l: price(instrument, kline.lowTicks),
      v: size(instrument, kline.volumeLots),
      n: kline.count,
      x: closed,
      q: kline.quoteVolume.toFixed(8),
      V: size(instrument, kline.takerBuyLots),
      Q: kline.takerBuyQuote.toFixed(8),
      B: '0',
    },
  })
}
