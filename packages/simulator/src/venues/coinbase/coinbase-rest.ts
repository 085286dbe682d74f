import type { IncomingMessage, ServerResponse } from 'node:http'
import { formatPrice, formatSize, replyJson } from '../../shared/index'
import type { SimInstrument, SimLevel, SimMarket } from '../../sim-types'
import { coinbaseTime, restProduct, restTrade } from './coinbase-frames'

/** Per-product feed state the REST book reports (`sequence`). */
export interface CoinbaseSequenceSource {
  sequenceOf(productId: string): number
}

const PRODUCT_PATH = /^\/products\/([A-Za-z0-9]+-[A-Za-z0-9]+)(?:\/(book|trades|ticker|stats))?$/

function notFound(response: ServerResponse): void {
  replyJson(response, 404, { message: 'NotFound' })
}

function bookLevels(instrument: SimInstrument, levels: readonly SimLevel[]): [string, string, number][] {
  const out: [string, string, number][] = new Array(levels.length)
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i] as SimLevel
    // The third field is the number of orders at the level; the simulator has one per level.
    out[i] = [formatPrice(instrument, level[0]), formatSize(instrument, level[1]), 1]
  }
  return out
}

/**
 * The Coinbase Exchange REST endpoints a market-data client needs: `/products`, `/products/{id}`,
 * `/products/{id}/book?level=1|2`, `/products/{id}/trades` (newest first, `after`/`before` cursors with
 * `cb-after`/`cb-before` headers), `/products/{id}/ticker`, `/products/{id}/stats` and `/time`.
 */
export function handleCoinbaseRest(
  market: SimMarket,
  sequences: CoinbaseSequenceSource,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname
  if (path === '/time') {
    const now = market.now()
    replyJson(response, 200, { iso: new Date(now).toISOString(), epoch: now / 1000 })
    return true
  }
  if (path === '/products') {
    replyJson(response, 200, market.instruments('coinbase').map(restProduct))
    return true
  }
  const match = PRODUCT_PATH.exec(path)
  if (!match) return false
  const instrument = market.instrument('coinbase', match[1] as string)
  if (instrument === undefined || instrument.venue !== 'coinbase') {
    notFound(response)
    return true
  }
  switch (match[2]) {
    case undefined:
      replyJson(response, 200, restProduct(instrument))
      return true
    case 'book': {
      const level = url.searchParams.get('level') ?? '1'
      if (level !== '1' && level !== '2') {
        replyJson(response, 400, { message: 'Invalid level' })
        return true
      }
      const book = market.book(instrument, level === '1' ? 1 : undefined)
      replyJson(response, 200, {
        bids: bookLevels(instrument, book.bids),
        asks: bookLevels(instrument, book.asks),
        sequence: sequences.sequenceOf(instrument.venueSymbol),
        auction_mode: false,
        auction: null,
        time: coinbaseTime(market.now()),
      })
      return true
    }
    case 'trades': {
      const limit = Math.max(1, Math.min(1000, Number(url.searchParams.get('limit') ?? 100) || 100))
      const after = Number(url.searchParams.get('after') ?? Number.NaN)
      const before = Number(url.searchParams.get('before') ?? Number.NaN)
      const trades = market.trades(instrument)
      const page: Record<string, unknown>[] = []
      // Newest first; `after` pages to older trades (id < after), `before` to newer ones (id > before).
      for (let i = trades.length - 1; i >= 0 && page.length < limit; i--) {
        const trade = trades[i]
        if (trade === undefined) continue
        if (Number.isFinite(after) && trade.id >= after) continue
        if (Number.isFinite(before) && trade.id <= before) break
        page.push(restTrade(trade))
      }
      const headers: Record<string, string> = {}
      const first = page[0]
      const last = page[page.length - 1]
      if (first !== undefined) headers['cb-before'] = String(first.trade_id)
      if (last !== undefined) headers['cb-after'] = String(last.trade_id)
      replyJson(response, 200, page, headers)
      return true
    }
    case 'ticker': {
      const book = market.book(instrument, 1)
      const trades = market.trades(instrument)
      const last = trades[trades.length - 1]
      const stats = market.stats24h(instrument)
      replyJson(response, 200, {
        ask: book.asks[0] ? formatPrice(instrument, book.asks[0][0]) : '',
        bid: book.bids[0] ? formatPrice(instrument, book.bids[0][0]) : '',
        volume: formatSize(instrument, stats.baseVolumeLots),
        trade_id: last?.id ?? 0,
        price: formatPrice(instrument, last?.priceTicks ?? stats.lastTicks),
        size: formatSize(instrument, last?.sizeLots ?? 0),
        time: coinbaseTime(last?.time ?? market.now()),
      })
      return true
    }
    default: {
      const stats = market.stats24h(instrument)
      replyJson(response, 200, {
        open: formatPrice(instrument, stats.openTicks),
        high: formatPrice(instrument, stats.highTicks),
        low: formatPrice(instrument, stats.lowTicks),
        last: formatPrice(instrument, stats.lastTicks),
        volume: formatSize(instrument, stats.baseVolumeLots),
        volume_30day: formatSize(instrument, stats.baseVolumeLots * 30),
      })
      return true
    }
  }
}
