import type { VenueModuleFactory } from '../../sim-types'

// Placeholder: the binance engineer replaces this file with the real venue module.
export const createBinanceVenue: VenueModuleFactory | null = null
