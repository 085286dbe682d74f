export type { PeriodicFault } from './fault-spec'
export { FAULT_PRESETS, parseFaultSpecs } from './fault-spec'
export type { Simulator, StartSimulatorOptions, VenueEndpoints } from './start-simulator'
export { startSimulator } from './start-simulator'
