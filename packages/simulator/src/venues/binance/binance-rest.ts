import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Market } from '@tickmesh/core'
import { replyJson } from '../../shared/index'
import type { SimInstrument, SimMarket } from '../../sim-types'
import { levelsText, price, size } from './binance-frames'

const FUTURES_DEPTH_LIMITS = [5, 10, 20, 50, 100, 500, 1000] as const

function filters(instrument: SimInstrument): Record<string, string>[] {
  return [
    {
      filterType: 'PRICE_FILTER',
      minPrice: price(instrument, 1),
      maxPrice: price(instrument, 100_000_000),
      tickSize: price(instrument, 1),
    },
    {
      filterType: 'LOT_SIZE',
      minQty: size(instrument, 1),
      maxQty: size(instrument, 900_000_000),
      stepSize: size(instrument, 1),
    },
  ]
}

function exchangeInfo(market: SimMarket, instruments: readonly SimInstrument[], isSpot: boolean): unknown {
  const rateLimits = [
    { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: isSpot ? 6000 : 2400 },
  ]
  if (isSpot) {
    return {
      timezone: 'UTC',
      serverTime: Math.round(market.now()),
      rateLimits,
      exchangeFilters: [],
      symbols: instruments.map((instrument) => ({
        symbol: instrument.venueSymbol,
        status: 'TRADING',
        baseAsset: instrument.base,
        baseAssetPrecision: 8,
        quoteAsset: instrument.quote,
        quotePrecision: 8,
        quoteAssetPrecision: 8,
        orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
        icebergAllowed: true,
        ocoAllowed: true,
        isSpotTradingAllowed: true,
        isMarginTradingAllowed: false,
        filters: filters(instrument),
        permissions: [],
        permissionSets: [['SPOT']],
      })),
    }
  }
  return {
    timezone: 'UTC',
    serverTime: Math.round(market.now()),
    rateLimits,
    exchangeFilters: [],
    assets: [],
    symbols: instruments.map((instrument) => ({
      symbol: instrument.venueSymbol,
      pair: instrument.venueSymbol,
      contractType: 'PERPETUAL',
      status: 'TRADING',
      baseAsset: instrument.base,
      quoteAsset: instrument.quote,
      marginAsset: instrument.quote,
      pricePrecision: instrument.priceDecimals,
      quantityPrecision: instrument.sizeDecimals,
      baseAssetPrecision: 8,
      quotePrecision: 8,
      underlyingType: 'COIN',
      filters: filters(instrument),
      orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET'],
      timeInForce: ['GTC', 'IOC', 'FOK', 'GTX'],
    })),
  }
}

const MISSING_SYMBOL = {
  code: -1102,
  msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.",
}
const INVALID_SYMBOL = { code: -1121, msg: 'Invalid symbol.' }

/**
 * Binance REST endpoints around the streams, spot under `/api/v3` and USDⓈ-M futures under
 * `/fapi/v1`: ping, time, exchangeInfo, depth (snapshot with `lastUpdateId`), aggTrades and trades.
 * Returns false for any other path.
 */
export function handleBinanceRest(
  market: SimMarket,
  instrumentsOf: (market: Market) => ReadonlyMap<string, SimInstrument>,
  _request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): boolean {
  const match = /^\/(api\/v3|fapi\/v1)\/(ping|time|exchangeInfo|depth|aggTrades|trades)$/.exec(url.pathname)
  if (!match) return false
  const isSpot = match[1] === 'api/v3'
  const instruments = instrumentsOf(isSpot ? 'spot' : 'linear')
  const endpoint = match[2]
  if (endpoint === 'ping') {
    replyJson(response, 200, {})
    return true
  }
  if (endpoint === 'time') {
    replyJson(response, 200, { serverTime: Math.round(market.now()) })
    return true
  }
  if (endpoint === 'exchangeInfo') {
    const only = url.searchParams.get('symbol')
    const list = [...instruments.values()].filter(
      (instrument) => only === null || instrument.venueSymbol === only,
    )
    if (only !== null && list.length === 0) {
      replyJson(response, 400, INVALID_SYMBOL)
      return true
    }
    replyJson(response, 200, exchangeInfo(market, list, isSpot))
    return true
  }
  const symbolText = url.searchParams.get('symbol')
  if (!symbolText) {
    replyJson(response, 400, MISSING_SYMBOL)
    return true
  }
  const instrument = instruments.get(symbolText)
  if (!instrument) {
    replyJson(response, 400, INVALID_SYMBOL)
    return true
  }
  const limitText = url.searchParams.get('limit')
  if (endpoint === 'depth') {
    const asked = limitText === null ? (isSpot ? 100 : 500) : Number(limitText)
    const limit = isSpot
      ? Math.min(5000, Math.max(1, Math.floor(asked) || 100))
      : (FUTURES_DEPTH_LIMITS.find((candidate) => candidate >= asked) ?? 1000)
    const book = market.book(instrument, limit)
    const levels = { bids: levelsText(instrument, book.bids), asks: levelsText(instrument, book.asks) }
    const now = Math.round(market.now())
    replyJson(
      response,
      200,
      isSpot
        ? { lastUpdateId: book.updateId, ...levels }
        : { lastUpdateId: book.updateId, E: now, T: now, ...levels },
    )
    return true
  }
  const limit = Math.min(1000, Math.max(1, Number(limitText ?? 500) || 500))
  const all = market.trades(instrument)
  const fromIdText = url.searchParams.get('fromId')
  let selected = all
  if (fromIdText !== null) {
    const fromId = Number(fromIdText)
    selected = all.filter((trade) => trade.id >= fromId).slice(0, limit)
  } else {
    selected = all.slice(Math.max(0, all.length - limit))
  }
  if (endpoint === 'aggTrades') {
    replyJson(
      response,
      200,
      selected.map((trade) => ({
        a: trade.id,
        p: price(instrument, trade.priceTicks),
        q: size(instrument, trade.sizeLots),
        f: trade.id,
        l: trade.id,
        T: trade.time,
        m: trade.side === 'sell',
        ...(isSpot ? { M: true } : {}),
      })),
    )
    return true
  }
  replyJson(
    response,
    200,
    selected.map((trade) => ({
      id: trade.id,
      price: price(instrument, trade.priceTicks),
      qty: size(instrument, trade.sizeLots),
      quoteQty: (trade.priceTicks * instrument.tickSize * trade.sizeLots * instrument.lotSize).toFixed(8),
      time: trade.time,
      isBuyerMaker: trade.side === 'sell',
      ...(isSpot ? { isBestMatch: true } : {}),
    })),
  )
  return true
}
