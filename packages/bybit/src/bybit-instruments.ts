import type { Instrument, Market, RestClient } from '@tickmesh/core'
import { closestMatch, RestError, SubscriptionError, toNumber } from '@tickmesh/core'

type BybitMarket = 'spot' | 'linear'

interface InstrumentsPage {
  retCode?: number
  retMsg?: string
  result?: { list?: unknown[]; nextPageCursor?: string }
}

interface MarketCache {
  list: Instrument[]
  byVenue: Map<string, Instrument>
  byUnified: Map<string, Instrument>
}

const MAX_PAGES = 20

/** Unified ⇄ Bybit symbols from `/v5/market/instruments-info`, fetched once per market and cached. */
export class BybitInstruments {
  private readonly caches = new Map<BybitMarket, MarketCache>()
  private readonly loading = new Map<BybitMarket, Promise<MarketCache>>()

  constructor(private readonly rest: RestClient) {}

  async list(market: BybitMarket): Promise<readonly Instrument[]> {
    return (await this.load(market)).list
  }

  /** Synchronous lookup for decoding; undefined until the market's instruments are loaded. */
  symbolOf(venueSymbol: string, market: Market): string | undefined {
    if (market !== 'spot' && market !== 'linear') return undefined
    return this.caches.get(market)?.byVenue.get(venueSymbol)?.symbol
  }

  /** The venue spelling of a unified symbol, or a SubscriptionError naming the closest valid one. */
  async resolve(symbol: string, market: BybitMarket): Promise<Instrument> {
    const cache = await this.load(market)
    const found = cache.byUnified.get(symbol)
    if (found !== undefined) return found
    const suggestion = closestMatch(symbol, cache.byUnified.keys())
    throw new SubscriptionError(`"${symbol}" is not a Bybit ${market} instrument.`, {
      venue: 'bybit',
      details: { symbol, market },
      hint:
        suggestion === null
          ? `See adapter.instruments('${market}') for the ${cache.list.length} symbols Bybit lists.`
          : `Did you mean "${suggestion}"?`,
    })
  }

  private load(market: BybitMarket): Promise<MarketCache> {
    const cached = this.caches.get(market)
    if (cached !== undefined) return Promise.resolve(cached)
    let pending = this.loading.get(market)
    if (pending === undefined) {
      pending = this.fetch(market).then(
        (cache) => {
          this.caches.set(market, cache)
          this.loading.delete(market)
          return cache
        },
        (error: unknown) => {
          // A failed load is retried by the next caller.
          this.loading.delete(market)
          throw error
        },
      )
      this.loading.set(market, pending)
    }
    return pending
  }

  private async fetch(market: BybitMarket): Promise<MarketCache> {
    const cache: MarketCache = { list: [], byVenue: new Map(), byUnified: new Map() }
    let cursor: string | undefined
    for (let page = 0; page < MAX_PAGES; page++) {
      const response = await this.rest.get<InstrumentsPage>('/v5/market/instruments-info', {
        category: market,
        limit: 1000,
        cursor,
      })
      const body = response.value
      if (body.retCode !== 0 || !Array.isArray(body.result?.list)) {
        throw new RestError(response.url, response.status, response.raw, {
          venue: 'bybit',
          hint: `Bybit answered retCode ${String(body.retCode)} (${String(body.retMsg)}); check restUrl.`,
        })
      }
      for (const item of body.result.list) {
        const instrument = toInstrument(item, market)
        if (instrument === null) continue
        cache.list.push(instrument)
        cache.byVenue.set(instrument.venueSymbol, instrument)
        cache.byUnified.set(instrument.symbol, instrument)
      }
      cursor = body.result.nextPageCursor
      if (!cursor) break
    }
    return cache
  }
}

function toInstrument(item: unknown, market: BybitMarket): Instrument | null {
  if (typeof item !== 'object' || item === null) return null
  const record = item as Record<string, unknown>
  const { symbol, baseCoin, quoteCoin, status } = record
  if (typeof symbol !== 'string' || typeof baseCoin !== 'string' || typeof quoteCoin !== 'string') return null
  if (status !== undefined && status !== 'Trading') return null
  const priceFilter = record.priceFilter as Record<string, unknown> | undefined
  const lotFilter = record.lotSizeFilter as Record<string, unknown> | undefined
  const tickSize = toNumber(priceFilter?.tickSize)
  const lotSize = toNumber(market === 'spot' ? lotFilter?.basePrecision : lotFilter?.qtyStep)
  if (!Number.isFinite(tickSize) || !Number.isFinite(lotSize)) return null
  let unified: string
  if (market === 'spot') unified = `${baseCoin}/${quoteCoin}`
  else {
    // Perpetuals only: dated futures (BTCUSDT-27DEC24) are not a tickmesh market.
    if (record.contractType !== undefined && record.contractType !== 'LinearPerpetual') return null
    const settle = typeof record.settleCoin === 'string' ? record.settleCoin : quoteCoin
    unified = `${baseCoin}/${quoteCoin}:${settle}`
  }
  return {
    venue: 'bybit',
    market,
    symbol: unified,
    venueSymbol: symbol,
    base: baseCoin,
    quote: quoteCoin,
    tickSize,
    lotSize,
  }
}
