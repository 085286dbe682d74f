import type { VenueModuleFactory } from '../../sim-types'

// Placeholder: the okx engineer replaces this file with the real venue module.
export const createOkxVenue: VenueModuleFactory | null = null
