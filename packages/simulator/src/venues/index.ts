import type { VenueId } from '@tickmesh/core'
import type { VenueModuleFactory } from '../sim-types'
import { createBinanceVenue } from './binance/index'
import { createBybitVenue } from './bybit/index'
import { createCoinbaseVenue } from './coinbase/index'
import { createOkxVenue } from './okx/index'

// The venue registry. Each venue folder exports `create<Venue>Venue` from `./<venue>/index`
// (null until that module exists); venues without a module are skipped by `startSimulator`.
const FACTORIES: Record<VenueId, VenueModuleFactory | null> = {
  binance: createBinanceVenue,
  bybit: createBybitVenue,
  okx: createOkxVenue,
  coinbase: createCoinbaseVenue,
}

/** The factory of a venue's module, or null when it is not implemented. */
export function venueFactory(venue: VenueId): VenueModuleFactory | null {
  return FACTORIES[venue]
}

/** Venues whose module is registered. */
export function registeredVenues(): VenueId[] {
  const venues: VenueId[] = []
  for (const venue of Object.keys(FACTORIES) as VenueId[]) if (FACTORIES[venue] !== null) venues.push(venue)
  return venues
}
