import {
  createRestClient,
  type Instrument,
  type Market,
  nowMs,
  type RawItem,
  type RestClient,
  RestError,
  toNumber,
} from '@tickmesh/core'
import { okxInstType, okxMarketOf, okxUnifiedSymbol } from './okx-symbols'

interface OkxInstrumentRow {
  instType?: string
  instId?: string
  baseCcy?: string
  quoteCcy?: string
  settleCcy?: string
  ctVal?: string
  ctValCcy?: string
  tickSz?: string
  lotSz?: string
  state?: string
}

interface OkxEnvelope<T> {
  code?: string
  msg?: string
  data?: T[]
}

/** What the cache knows about one instrument beyond the core `Instrument`. */
export interface OkxInstrument extends Instrument {
  /** Base units per contract for SWAP (sizes on the wire are contracts); 1 on spot. */
  contractValue: number
}

export interface OkxInstrumentCacheOptions {
  restUrl: string
  fetch?: typeof fetch
  ttlMs: number
  onRaw?: (item: RawItem) => void
}

/**
 * OKX instruments from `/api/v5/public/instruments` (SPOT and SWAP), cached for `ttlMs`: the
 * unified ⇄ venue symbol map and the contract values that turn SWAP contracts into base units.
 */
export class OkxInstrumentCache {
  private readonly rest: RestClient
  private readonly ttlMs: number
  private readonly byType = new Map<'SPOT' | 'SWAP', { at: number; list: OkxInstrument[] }>()
  private readonly loading = new Map<'SPOT' | 'SWAP', Promise<OkxInstrument[]>>()
  private readonly byInstId = new Map<string, OkxInstrument>()

  constructor(options: OkxInstrumentCacheOptions) {
    this.ttlMs = options.ttlMs
    const onRaw = options.onRaw
    this.rest = createRestClient({
      baseUrl: options.restUrl,
      venue: 'okx',
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(onRaw
        ? {
            onRaw: (response) =>
              onRaw({
                kind: 'rest',
                venue: 'okx',
                market: 'spot',
                url: response.url,
                status: response.status,
                data: response.data,
                receivedAt: response.receivedAt,
              }),
          }
        : {}),
    })
  }

  get restClient(): RestClient {
    return this.rest
  }

  /** Instruments of a market (fetched once per TTL). */
  async list(market: Market): Promise<OkxInstrument[]> {
    const all = await this.load(okxInstType(market))
    return all.filter((instrument) => instrument.market === market)
  }

  /** A known instrument by instId (after its market was listed). */
  get(instId: string): OkxInstrument | undefined {
    return this.byInstId.get(instId)
  }

  contractValueOf = (instId: string): number | undefined => this.byInstId.get(instId)?.contractValue

  symbolOf = (instId: string): string | undefined => this.byInstId.get(instId)?.symbol

  private load(instType: 'SPOT' | 'SWAP'): Promise<OkxInstrument[]> {
    const cached = this.byType.get(instType)
    if (cached && nowMs() - cached.at < this.ttlMs) return Promise.resolve(cached.list)
    const pending = this.loading.get(instType)
    if (pending) return pending
    const promise = this.fetchType(instType).finally(() => this.loading.delete(instType))
    this.loading.set(instType, promise)
    return promise
  }

  private async fetchType(instType: 'SPOT' | 'SWAP'): Promise<OkxInstrument[]> {
    const path = '/api/v5/public/instruments'
    const response = await this.rest.get<OkxEnvelope<OkxInstrumentRow>>(path, { instType })
    const body = response.value
    if (body.code !== '0' || !Array.isArray(body.data)) {
      throw new RestError(response.url, response.status, response.raw, {
        venue: 'okx',
        hint: 'OKX answered the instruments request with an error code; check the REST URL.',
      })
    }
    const list: OkxInstrument[] = []
    for (const row of body.data) {
      const instrument = toInstrument(row)
      if (instrument) {
        list.push(instrument)
        this.byInstId.set(instrument.venueSymbol, instrument)
      }
    }
    this.byType.set(instType, { at: nowMs(), list })
    return list
  }
}

function toInstrument(row: OkxInstrumentRow): OkxInstrument | null {
  const instId = row.instId
  if (typeof instId !== 'string' || (row.state !== undefined && row.state !== 'live')) return null
  const market = okxMarketOf(instId)
  const symbol = okxUnifiedSymbol(instId)
  if (market === null || symbol === null) return null
  const [base = '', quote = ''] = instId.split('-')
  const tickSize = toNumber(row.tickSz)
  const lotContracts = toNumber(row.lotSz)
  const contractValue = market === 'spot' ? 1 : toNumber(row.ctVal)
  if (!(tickSize > 0) || !(lotContracts > 0) || !(contractValue > 0)) return null
  return {
    venue: 'okx',
    market,
    symbol,
    venueSymbol: instId,
    base,
    quote,
    tickSize,
    // tickmesh sizes are in the base currency, so a SWAP lot is lotSz contracts × ctVal.
    lotSize: market === 'spot' ? lotContracts : +(lotContracts * contractValue).toPrecision(15),
    contractValue,
  }
}
