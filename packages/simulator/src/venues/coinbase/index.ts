import type { VenueModuleFactory } from '../../sim-types'

// Placeholder: the coinbase engineer replaces this file with the real venue module.
export const createCoinbaseVenue: VenueModuleFactory | null = null
