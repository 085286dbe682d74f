// @tickmesh/simulator public API.

// --- server
export { FAULT_PRESETS, parseFaultSpecs, startSimulator } from './server/index'
export type { PeriodicFault, Simulator, StartSimulatorOptions, VenueEndpoints } from './server/index'
export { registeredVenues, venueFactory } from './venues/index'

// --- market
export {
  DEFAULT_FAIR_PRICES,
  DEFAULT_VENUE_QUOTING,
  createPrng,
  createSimMarket,
  defaultInstruments,
  venueSymbolOf,
} from './market/index'
export type { Prng, SimDislocation, SimMarketControl, SimMarketOptions, VenueQuoting } from './market/index'

// --- command line
export { SIMULATOR_CLI_USAGE, parseSimulatorArgs, runSimulatorCli } from './run-simulator-cli'
export type { SimulatorCliIo } from './run-simulator-cli'

// --- conformance
export { expectSameShape, shapeDifferences, shapeOf } from './conformance/index'
export type { SameShapeOptions, Shape } from './conformance/index'

// --- venue-module contract and helpers
export type {
  SimBookChange,
  SimFault,
  SimFaultKind,
  SimInstrument,
  SimLevel,
  SimMarket,
  SimStats24h,
  SimTrade,
  VenueModule,
  VenueModuleFactory,
  VenueModuleOptions,
} from './sim-types'
export {
  CONNECTION_FAULT_KINDS,
  ConnectionSet,
  Outbound,
  RestFaultGate,
  TokenBucket,
  formatPrice,
  formatSize,
  formatUnits,
  priceOf,
  replyJson,
  safeEqual,
  scaledMs,
  sizeOf,
  toLots,
  toTicks,
} from './shared/index'
export type {
  FormatDecimalOptions,
  OutboundOptions,
  RestFault,
  RestFaultGateOptions,
  SentCounter,
  TokenBucketOptions,
} from './shared/index'
