import type { Instrument, Market, RestClient } from '@tickmesh/core'
import { RestError, unifiedSymbol } from '@tickmesh/core'
import { isObject, readNumber, readString } from './decode/decode-helpers'

/** Instruments of one market with lookups both ways. */
export interface BinanceInstrumentTable {
  readonly list: readonly Instrument[]
  /** Unified symbol → instrument. */
  readonly byUnified: ReadonlyMap<string, Instrument>
  /** Venue symbol (`BTCUSDT`) → instrument. */
  readonly byVenue: ReadonlyMap<string, Instrument>
}

/**
 * Parses `/api/v3/exchangeInfo` (spot) or `/fapi/v1/exchangeInfo` (USDⓈ-M: perpetuals only) into
 * instruments; symbols not TRADING and entries without a price or lot filter are left out.
 */
export function parseBinanceExchangeInfo(body: unknown, market: Market): Instrument[] {
  if (!isObject(body) || !Array.isArray(body.symbols)) return []
  const out: Instrument[] = []
  for (const entry of body.symbols) {
    if (!isObject(entry)) continue
    const venueSymbol = readString(entry, 'symbol')
    const base = readString(entry, 'baseAsset')
    const quote = readString(entry, 'quoteAsset')
    if (venueSymbol === null || base === null || quote === null) continue
    if (readString(entry, 'status') !== 'TRADING') continue
    if (market !== 'spot' && readString(entry, 'contractType') !== 'PERPETUAL') continue
    let tickSize = Number.NaN
    let lotSize = Number.NaN
    if (Array.isArray(entry.filters)) {
      for (const filter of entry.filters) {
        if (!isObject(filter)) continue
        if (filter.filterType === 'PRICE_FILTER') tickSize = readNumber(filter, 'tickSize')
        else if (filter.filterType === 'LOT_SIZE') lotSize = readNumber(filter, 'stepSize')
      }
    }
    if (!(tickSize > 0) || !(lotSize > 0)) continue
    out.push({
      venue: 'binance',
      market,
      symbol: unifiedSymbol(base, quote, market),
      venueSymbol,
      base,
      quote,
      tickSize,
      lotSize,
    })
  }
  return out
}

export function buildInstrumentTable(list: readonly Instrument[]): BinanceInstrumentTable {
  const byUnified = new Map<string, Instrument>()
  const byVenue = new Map<string, Instrument>()
  for (const instrument of list) {
    byUnified.set(instrument.symbol, instrument)
    byVenue.set(instrument.venueSymbol, instrument)
  }
  return { list, byUnified, byVenue }
}

/** Fetches and caches the instruments of each market; a failed fetch is retried on the next call. */
export class BinanceInstrumentCache {
  private readonly tables = new Map<Market, BinanceInstrumentTable>()
  private readonly pending = new Map<Market, Promise<BinanceInstrumentTable>>()
  private readonly fetchedAt = new Map<Market, number>()

  constructor(
    private readonly restOf: (market: Market) => RestClient,
    private readonly ttlMs: number,
  ) {}

  /** The cached table, when loaded (synchronous, for the decoder's symbol lookups). */
  peek(market: Market): BinanceInstrumentTable | undefined {
    return this.tables.get(market)
  }

  load(market: Market): Promise<BinanceInstrumentTable> {
    const cached = this.tables.get(market)
    const at = this.fetchedAt.get(market) ?? 0
    if (cached && Date.now() - at < this.ttlMs) return Promise.resolve(cached)
    const inFlight = this.pending.get(market)
    if (inFlight) return inFlight
    const path = market === 'spot' ? '/api/v3/exchangeInfo' : '/fapi/v1/exchangeInfo'
    const promise = this.restOf(market)
      .get<unknown>(path)
      .then((response) => {
        const list = parseBinanceExchangeInfo(response.value, market)
        if (list.length === 0) {
          throw new RestError(response.url, response.status, response.raw, {
            venue: 'binance',
            hint: 'exchangeInfo listed no tradable instruments; check restUrl points at Binance.',
          })
        }
        const table = buildInstrumentTable(list)
        this.tables.set(market, table)
        this.fetchedAt.set(market, Date.now())
        return table
      })
      .finally(() => this.pending.delete(market))
    this.pending.set(market, promise)
    // A stale table still serves lookups while the refresh is in flight or if it fails.
    return cached ? promise.catch(() => cached) : promise
  }
}
