import type { VenueModuleFactory } from '../../sim-types'

// Placeholder: the bybit engineer replaces this file with the real venue module.
export const createBybitVenue: VenueModuleFactory | null = null
