import type { BinanceSettings } from '@tickmesh/binance'
import { createBinance } from '@tickmesh/binance'
import type { BybitSettings } from '@tickmesh/bybit'
import { createBybit } from '@tickmesh/bybit'
import type { CoinbaseSettings } from '@tickmesh/coinbase'
import { createCoinbase } from '@tickmesh/coinbase'
import type { VenueAdapter } from '@tickmesh/core'
import { VENUES } from '@tickmesh/core'
import type { OkxSettings } from '@tickmesh/okx'
import { createOkx } from '@tickmesh/okx'

/** Venues to connect, each with its adapter settings (`{}` for the defaults). */
export interface VenueSettingsMap {
  binance?: BinanceSettings
  bybit?: BybitSettings
  okx?: OkxSettings
  coinbase?: CoinbaseSettings
}

/**
 * Creates one adapter per venue named in `venues`, in the canonical venue order. If a factory throws
 * (invalid settings), the adapters already created are closed before the error is rethrown.
 */
export function createVenueAdapters(venues: VenueSettingsMap): VenueAdapter[] {
  const adapters: VenueAdapter[] = []
  try {
    for (const venue of VENUES) {
      switch (venue) {
        case 'binance':
          if (venues.binance) adapters.push(createBinance(venues.binance))
          break
        case 'bybit':
          if (venues.bybit) adapters.push(createBybit(venues.bybit))
          break
        case 'okx':
          if (venues.okx) adapters.push(createOkx(venues.okx))
          break
        case 'coinbase':
          if (venues.coinbase) adapters.push(createCoinbase(venues.coinbase))
          break
      }
    }
  } catch (error) {
    for (const adapter of adapters) void adapter.close().catch(() => undefined)
    throw error
  }
  return adapters
}
