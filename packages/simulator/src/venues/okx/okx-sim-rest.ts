import type { IncomingMessage, ServerResponse } from 'node:http'
import { replyJson } from '../../shared/json-reply'
import type { SimInstrument, SimMarket } from '../../sim-types'
import { contractValueOf, okxLevels, okxPx, okxSz } from './okx-sim-format'

// OKX V5 REST endpoints a market-data client needs: instruments, server time, book snapshot and
// recent trades. Envelope `{"code":"0","msg":"","data":[…]}`; parameter errors answer HTTP 400 with
// the venue's code.

function ok(response: ServerResponse, data: unknown[]): void {
  replyJson(response, 200, { code: '0', msg: '', data })
}

function fail(response: ServerResponse, status: number, code: string, msg: string): void {
  replyJson(response, status, { code, msg, data: [] })
}

function instrumentRow(instrument: SimInstrument): Record<string, string> {
  const isSpot = instrument.market === 'spot'
  return {
    instType: isSpot ? 'SPOT' : 'SWAP',
    instId: instrument.venueSymbol,
    uly: isSpot ? '' : `${instrument.base}-${instrument.quote}`,
    instFamily: isSpot ? '' : `${instrument.base}-${instrument.quote}`,
    baseCcy: isSpot ? instrument.base : '',
    quoteCcy: isSpot ? instrument.quote : '',
    settleCcy: isSpot ? '' : instrument.quote,
    ctVal: isSpot ? '' : String(contractValueOf(instrument)),
    ctMult: isSpot ? '' : '1',
    ctValCcy: isSpot ? '' : instrument.base,
    ctType: isSpot ? '' : 'linear',
    tickSz: okxPx(instrument, 1),
    lotSz: okxSz(instrument, 1),
    minSz: okxSz(instrument, 1),
    state: 'live',
    listTime: '1606468572000',
  }
}

export function handleOkxRest(
  market: SimMarket,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): boolean {
  if (request.method !== 'GET' && url.pathname.startsWith('/api/v5/')) {
    fail(response, 405, '50000', 'Method not allowed')
    return true
  }
  switch (url.pathname) {
    case '/api/v5/public/time':
      ok(response, [{ ts: String(market.now()) }])
      return true
    case '/api/v5/public/instruments': {
      const instType = url.searchParams.get('instType')
      if (!instType) {
        fail(response, 400, '50014', 'Parameter instType can not be empty.')
        return true
      }
      const wanted = instType === 'SPOT' ? 'spot' : instType === 'SWAP' ? 'linear' : null
      const instId = url.searchParams.get('instId')
      const rows: Record<string, string>[] = []
      if (wanted !== null) {
        for (const instrument of market.instruments('okx')) {
          if (instrument.market !== wanted) continue
          if (instId && instrument.venueSymbol !== instId) continue
          rows.push(instrumentRow(instrument))
        }
      }
      ok(response, rows)
      return true
    }
    case '/api/v5/market/books': {
      const instrument = requireInstrument(market, response, url)
      if (!instrument) return true
      const depth = clampInt(url.searchParams.get('sz'), 1, 400, 1)
      const book = market.book(instrument, depth)
      ok(response, [
        {
          asks: okxLevels(instrument, book.asks),
          bids: okxLevels(instrument, book.bids),
          ts: String(market.now()),
        },
      ])
      return true
    }
    case '/api/v5/market/trades': {
      const instrument = requireInstrument(market, response, url)
      if (!instrument) return true
      const limit = clampInt(url.searchParams.get('limit'), 1, 500, 100)
      const trades = market.trades(instrument)
      const rows: Record<string, string>[] = []
      // Newest first, as OKX answers.
      for (let i = trades.length - 1; i >= 0 && rows.length < limit; i--) {
        const trade = trades[i]!
        rows.push({
          instId: instrument.venueSymbol,
          side: trade.side,
          sz: okxSz(instrument, trade.sizeLots),
          px: okxPx(instrument, trade.priceTicks),
          source: '0',
          tradeId: String(trade.id),
          ts: String(trade.time),
        })
      }
      ok(response, rows)
      return true
    }
    default:
      return false
  }
}

function requireInstrument(market: SimMarket, response: ServerResponse, url: URL): SimInstrument | null {
  const instId = url.searchParams.get('instId')
  if (!instId) {
    fail(response, 400, '50014', 'Parameter instId can not be empty.')
    return null
  }
  const instrument = market.instrument('okx', instId)
  if (!instrument) {
    fail(response, 400, '51001', "Instrument ID or Spread ID doesn't exist.")
    return null
  }
  return instrument
}

function clampInt(text: string | null, min: number, max: number, fallback: number): number {
  const value = text === null ? Number.NaN : Number.parseInt(text, 10)
  if (!Number.isFinite(value)) return fallback
  return Math.min(max, Math.max(min, value))
}
