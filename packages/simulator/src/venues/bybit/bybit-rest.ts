import type { ServerResponse } from 'node:http'
import { formatPrice, formatSize, formatUnits, replyJson } from '../../shared/index'
import type { SimInstrument, SimMarket } from '../../sim-types'
import { tradeId } from './bybit-frames'

// Bybit V5 REST market endpoints. Every answer is HTTP 200 with `retCode` 0 on success, or a non-zero
// `retCode` and `retMsg` on a parameter error, in the `{retCode,retMsg,result,retExtInfo,time}` envelope.

type Category = 'spot' | 'linear'

function envelope(market: SimMarket, result: unknown, retCode = 0, retMsg = 'OK'): unknown {
  return { retCode, retMsg, result, retExtInfo: {}, time: market.now() }
}

function paramError(response: ServerResponse, market: SimMarket, retMsg: string): true {
  replyJson(response, 200, envelope(market, {}, 10001, retMsg))
  return true
}

function categoryOf(url: URL): Category | null {
  const category = url.searchParams.get('category')
  return category === 'spot' || category === 'linear' ? category : null
}

function stepText(step: number, decimals: number): string {
  return formatUnits(Math.round(step * 10 ** decimals), decimals)
}

function instrumentInfo(category: Category, instrument: SimInstrument): Record<string, unknown> {
  const tickSize = stepText(instrument.tickSize, instrument.priceDecimals)
  const lot = stepText(instrument.lotSize, instrument.sizeDecimals)
  if (category === 'spot') {
    return {
      symbol: instrument.venueSymbol,
      baseCoin: instrument.base,
      quoteCoin: instrument.quote,
      innovation: '0',
      status: 'Trading',
      marginTrading: 'utaOnly',
      stTag: '0',
      lotSizeFilter: {
        basePrecision: lot,
        quotePrecision: '0.00000001',
        minOrderQty: lot,
        maxOrderQty: '10000',
        minOrderAmt: '5',
        maxOrderAmt: '8000000',
      },
      priceFilter: { tickSize },
      riskParameters: { priceLimitRatioX: '0.05', priceLimitRatioY: '0.05' },
    }
  }
  return {
    symbol: instrument.venueSymbol,
    contractType: 'LinearPerpetual',
    status: 'Trading',
    baseCoin: instrument.base,
    quoteCoin: instrument.quote,
    launchTime: '1585526400000',
    deliveryTime: '0',
    deliveryFeeRate: '',
    priceScale: String(instrument.priceDecimals),
    leverageFilter: { minLeverage: '1', maxLeverage: '100.00', leverageStep: '0.01' },
    priceFilter: { minPrice: tickSize, maxPrice: '1999999.80', tickSize },
    lotSizeFilter: {
      maxOrderQty: '1190.000',
      minOrderQty: lot,
      qtyStep: lot,
      postOnlyMaxOrderQty: '1190.000',
      maxMktOrderQty: '500.000',
      minNotionalValue: '5',
    },
    unifiedMarginTrade: true,
    fundingInterval: 480,
    settleCoin: instrument.quote,
    copyTrading: 'both',
    upperFundingRate: '0.005',
    lowerFundingRate: '-0.005',
    isPreListing: false,
    preListingInfo: null,
  }
}

/** Answers `/v5/market/*`; false when the path is not one of them. */
export function handleBybitRest(
  response: ServerResponse,
  url: URL,
  market: SimMarket,
  instrumentOf: (category: Category, venueSymbol: string) => SimInstrument | undefined,
): boolean {
  switch (url.pathname) {
    case '/v5/market/time': {
      const now = market.now()
      replyJson(
        response,
        200,
        envelope(market, {
          timeSecond: String(Math.floor(now / 1000)),
          timeNano: `${Math.floor(now)}000000`,
        }),
      )
      return true
    }
    case '/v5/market/instruments-info': {
      const requested = url.searchParams.get('category')
      // Real Bybit also lists inverse and option instruments; the simulator quotes none of them.
      if (requested === 'inverse' || requested === 'option') {
        replyJson(response, 200, envelope(market, { category: requested, list: [], nextPageCursor: '' }))
        return true
      }
      const category = categoryOf(url)
      if (category === null) return paramError(response, market, 'params error: Category is invalid')
      const symbol = url.searchParams.get('symbol')
      const list: Record<string, unknown>[] = []
      for (const instrument of market.instruments('bybit')) {
        if (instrument.market !== category) continue
        if (symbol !== null && instrument.venueSymbol !== symbol) continue
        list.push(instrumentInfo(category, instrument))
      }
      replyJson(response, 200, envelope(market, { category, list, nextPageCursor: '' }))
      return true
    }
    case '/v5/market/orderbook': {
      const category = categoryOf(url)
      if (category === null) return paramError(response, market, 'params error: Category is invalid')
      const instrument = instrumentOf(category, url.searchParams.get('symbol') ?? '')
      if (instrument === undefined) return paramError(response, market, 'params error: symbol invalid')
      const maxLimit = category === 'spot' ? 200 : 500
      const limit = Math.min(
        maxLimit,
        Math.max(1, Number(url.searchParams.get('limit') ?? (category === 'spot' ? 1 : 25)) || 1),
      )
      const book = market.book(instrument, limit)
      const now = market.now()
      replyJson(
        response,
        200,
        envelope(market, {
          s: instrument.venueSymbol,
          a: book.asks.map(([price, size]) => [formatPrice(instrument, price), formatSize(instrument, size)]),
          b: book.bids.map(([price, size]) => [formatPrice(instrument, price), formatSize(instrument, size)]),
          ts: now,
          u: book.updateId,
          seq: book.updateId,
          cts: now - 1,
        }),
      )
      return true
    }
    case '/v5/market/recent-trade': {
      const category = categoryOf(url)
      if (category === null) return paramError(response, market, 'params error: Category is invalid')
      const instrument = instrumentOf(category, url.searchParams.get('symbol') ?? '')
      if (instrument === undefined) return paramError(response, market, 'params error: symbol invalid')
      const maxLimit = category === 'spot' ? 60 : 1000
      const limit = Math.min(
        maxLimit,
        Math.max(1, Number(url.searchParams.get('limit') ?? (category === 'spot' ? 60 : 500)) || 1),
      )
      const trades = market.trades(instrument)
      const list: Record<string, unknown>[] = []
      // Newest first, as Bybit lists them.
      for (let index = trades.length - 1; index >= 0 && list.length < limit; index--) {
        const trade = trades[index]
        if (trade === undefined) continue
        list.push({
          execId: tradeId(category, trade),
          symbol: instrument.venueSymbol,
          price: formatPrice(instrument, trade.priceTicks),
          size: formatSize(instrument, trade.sizeLots),
          side: trade.side === 'buy' ? 'Buy' : 'Sell',
          time: String(trade.time),
          isBlockTrade: false,
          isRPITrade: false,
          seq: String(trade.id),
        })
      }
      replyJson(response, 200, envelope(market, { category, list }))
      return true
    }
    default:
      return false
  }
}

/** The body Bybit's gateway answers with for a rate limit or a server error (REST faults). */
export function bybitRestErrorBody(status: number): unknown {
  if (status === 429)
    return { retCode: 10006, retMsg: 'Too many visits!', result: {}, retExtInfo: {}, time: Date.now() }
  return { retCode: 10016, retMsg: 'Internal server error.', result: {}, retExtInfo: {}, time: Date.now() }
}
