import { formatPrice, formatSize } from '../../shared/index'
import type { SimBookChange, SimInstrument, SimLevel, SimStats24h, SimTrade } from '../../sim-types'

// Frames of the Coinbase Exchange feed with the fixtures' keys, key order and value types: prices
// and sizes are decimal strings, ids and sequences numbers, times ISO 8601 with microseconds.

/** `2022-10-19T23:28:22.061769Z`: Coinbase prints microseconds. */
export function coinbaseTime(ms: number): string {
  const whole = Math.floor(ms)
  const micros = Math.min(999, Math.max(0, Math.round((ms - whole) * 1000)))
  const iso = new Date(whole).toISOString()
  return `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`
}

/** A deterministic UUID-looking order id, so the same seed gives the same stream. */
export function simOrderId(n: number, salt: number): string {
  const hex = (value: number, width: number) =>
    (Math.abs(Math.floor(value)) % 16 ** Math.min(width, 12)).toString(16).padStart(width, '0')
  const mixed = (n * 2654435761 + salt * 40503) % 4294967296
  return `${hex(mixed, 8)}-${hex(n % 65536, 4)}-4${hex(salt % 4096, 3)}-8${hex((n >> 16) % 4096, 3)}-${hex(n * 7919 + salt, 12)}`
}

function levels(instrument: SimInstrument, book: readonly SimLevel[]): [string, string][] {
  const out: [string, string][] = new Array(book.length)
  for (let i = 0; i < book.length; i++) {
    const level = book[i] as SimLevel
    out[i] = [formatPrice(instrument, level[0]), formatSize(instrument, level[1])]
  }
  return out
}

export function snapshotFrame(
  instrument: SimInstrument,
  bids: readonly SimLevel[],
  asks: readonly SimLevel[],
): string {
  return JSON.stringify({
    type: 'snapshot',
    product_id: instrument.venueSymbol,
    bids: levels(instrument, bids),
    asks: levels(instrument, asks),
  })
}

export function l2updateFrame(change: SimBookChange): string {
  const { instrument } = change
  const changes: [string, string, string][] = []
  for (const [price, size] of change.bids) {
    changes.push(['buy', formatPrice(instrument, price), formatSize(instrument, size)])
  }
  for (const [price, size] of change.asks) {
    changes.push(['sell', formatPrice(instrument, price), formatSize(instrument, size)])
  }
  return JSON.stringify({
    type: 'l2update',
    product_id: instrument.venueSymbol,
    changes,
    time: coinbaseTime(change.time),
  })
}

export interface TickerInput {
  trade: SimTrade
  sequence: number
  stats: SimStats24h
  bestBid: SimLevel | null
  bestAsk: SimLevel | null
}

export function tickerFrame(input: TickerInput): string {
  const { trade, sequence, stats, bestBid, bestAsk } = input
  const { instrument } = trade
  const volume = stats.baseVolumeLots
  return JSON.stringify({
    type: 'ticker',
    sequence,
    product_id: instrument.venueSymbol,
    price: formatPrice(instrument, trade.priceTicks),
    open_24h: formatPrice(instrument, stats.openTicks),
    volume_24h: formatSize(instrument, volume),
    low_24h: formatPrice(instrument, stats.lowTicks),
    high_24h: formatPrice(instrument, stats.highTicks),
    volume_30d: formatSize(instrument, volume * 30),
    best_bid: bestBid === null ? '' : formatPrice(instrument, bestBid[0]),
    best_bid_size: bestBid === null ? '' : formatSize(instrument, bestBid[1]),
    best_ask: bestAsk === null ? '' : formatPrice(instrument, bestAsk[0]),
    best_ask_size: bestAsk === null ? '' : formatSize(instrument, bestAsk[1]),
    side: trade.side,
    time: coinbaseTime(trade.time),
    trade_id: trade.id,
    last_size: formatSize(instrument, trade.sizeLots),
  })
}

/** `match`/`last_match`: `side` is the MAKER's side, the opposite of the taker's. */
export function matchFrame(
  type: 'match' | 'last_match',
  trade: SimTrade,
  sequence: number,
  salt: number,
): string {
  const { instrument } = trade
  return JSON.stringify({
    type,
    trade_id: trade.id,
    maker_order_id: simOrderId(trade.id * 2, salt),
    taker_order_id: simOrderId(trade.id * 2 + 1, salt),
    side: trade.side === 'buy' ? 'sell' : 'buy',
    size: formatSize(instrument, trade.sizeLots),
    price: formatPrice(instrument, trade.priceTicks),
    product_id: instrument.venueSymbol,
    sequence,
    time: coinbaseTime(trade.time),
  })
}

export function heartbeatFrame(
  instrument: SimInstrument,
  sequence: number,
  lastTradeId: number,
  time: number,
): string {
  return JSON.stringify({
    type: 'heartbeat',
    last_trade_id: lastTradeId,
    product_id: instrument.venueSymbol,
    sequence,
    time: coinbaseTime(time),
  })
}

export function subscriptionsFrame(channels: ReadonlyMap<string, ReadonlySet<string>>): string {
  const list: { name: string; product_ids: string[] }[] = []
  for (const [name, products] of channels) {
    if (products.size > 0) list.push({ name, product_ids: [...products] })
  }
  return JSON.stringify({ type: 'subscriptions', channels: list })
}

export function errorFrame(message: string, reason?: string): string {
  return JSON.stringify(
    reason === undefined ? { type: 'error', message } : { type: 'error', message, reason },
  )
}

/** REST `/products/{id}/trades` entry: `side` is the maker's side here too. */
export function restTrade(trade: SimTrade): Record<string, unknown> {
  const { instrument } = trade
  return {
    time: coinbaseTime(trade.time),
    trade_id: trade.id,
    price: formatPrice(instrument, trade.priceTicks),
    size: formatSize(instrument, trade.sizeLots),
    side: trade.side === 'buy' ? 'sell' : 'buy',
  }
}

/** REST `/products` entry with the real field set. */
export function restProduct(instrument: SimInstrument): Record<string, unknown> {
  return {
    id: instrument.venueSymbol,
    base_currency: instrument.base,
    quote_currency: instrument.quote,
    quote_increment: formatPrice(instrument, 1),
    base_increment: formatSize(instrument, 1),
    display_name: `${instrument.base}/${instrument.quote}`,
    min_market_funds: '1',
    margin_enabled: false,
    post_only: false,
    limit_only: false,
    cancel_only: false,
    status: 'online',
    status_message: '',
    trading_disabled: false,
    fx_stablecoin: false,
    max_slippage_percentage: '0.02000000',
    auction_mode: false,
    high_bid_limit_percentage: '',
  }
}
