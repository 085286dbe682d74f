import type { VenueModuleFactory } from '../../sim-types'
import { BybitVenue } from './bybit-venue'

export type { BybitAuthVerdict } from './bybit-sim-auth'
export { BYBIT_SIM_CREDENTIALS, bybitAuthSignature, verifyBybitAuth } from './bybit-sim-auth'
export { BybitVenue } from './bybit-venue'

/** The simulated Bybit V5 venue: public spot/linear streams, private stream and market REST. */
export const createBybitVenue: VenueModuleFactory = (options) => new BybitVenue(options)
