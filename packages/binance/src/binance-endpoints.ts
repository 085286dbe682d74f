import type { Market } from '@tickmesh/core'
import { assertSecureUrl } from '@tickmesh/core'
import type { BinanceSettings } from './binance-settings'
import {
  BINANCE_FUTURES_REST_URL,
  BINANCE_FUTURES_SHARED_PREFIX,
  BINANCE_FUTURES_WS_URL,
  BINANCE_REST_URL,
  BINANCE_WS_API_URL,
  BINANCE_WS_URL,
  trimBase,
} from './binance-urls'

export interface BinanceEndpoints {
  streamUrls: Record<'spot' | 'linear', string[]>
  restUrls: Record<'spot' | 'linear', string>
  wsApiUrl: string
}

function list(value: string | string[] | undefined): string[] | null {
  if (value === undefined) return null
  const urls = (Array.isArray(value) ? value : [value]).map(trimBase).filter((url) => url.length > 0)
  return urls.length > 0 ? urls : null
}

/** Resolves every endpoint from the settings; the venue's real paths go under the base URLs. */
export function resolveBinanceEndpoints(settings: BinanceSettings): BinanceEndpoints {
  const wsBases = list(settings.wsUrl)
  const futuresBases = list(settings.futuresWsUrl)
  const spotStreams = (wsBases ?? [BINANCE_WS_URL]).map((base) => `${base}/stream`)
  const linearStreams = futuresBases
    ? futuresBases.map((base) => `${base}/stream`)
    : wsBases
      ? wsBases.map((base) => `${base}${BINANCE_FUTURES_SHARED_PREFIX}/stream`)
      : [`${BINANCE_FUTURES_WS_URL}/stream`]
  const spotRest = trimBase(settings.restUrl ?? BINANCE_REST_URL)
  const linearRest = trimBase(settings.futuresRestUrl ?? settings.restUrl ?? BINANCE_FUTURES_REST_URL)
  const wsApiUrl = `${trimBase(settings.wsApiUrl ?? wsBases?.[0] ?? BINANCE_WS_API_URL)}/ws-api/v3`
  const allowInsecure = settings.allowInsecure ?? false
  for (const url of [...spotStreams, ...linearStreams, spotRest, linearRest, wsApiUrl])
    assertSecureUrl(url, { venue: 'binance', allowInsecure })
  return {
    streamUrls: { spot: spotStreams, linear: linearStreams },
    restUrls: { spot: spotRest, linear: linearRest },
    wsApiUrl,
  }
}

export function isSupportedMarket(market: Market): market is 'spot' | 'linear' {
  return market === 'spot' || market === 'linear'
}
