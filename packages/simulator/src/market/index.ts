export type { SimDislocation, SimMarketControl, SimMarketOptions } from './create-sim-market'
export { createSimMarket } from './create-sim-market'
export type { VenueQuoting } from './default-instruments'
export {
  DEFAULT_FAIR_PRICES,
  DEFAULT_VENUE_QUOTING,
  defaultInstruments,
  venueSymbolOf,
} from './default-instruments'
export type { Prng } from './prng'
export { createPrng } from './prng'
