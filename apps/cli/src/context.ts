import type { AdapterSettings, VenueAdapter, VenueId } from '@tickmesh/core'
import type { StartSimulatorOptions } from '@tickmesh/simulator'
import type { CliIo } from './io'

/** Creates a venue's adapter from settings (`createBinance`, …). */
export type AdapterFactory = (settings: AdapterSettings) => VenueAdapter

/** Seams for tests and embedding; every field optional. */
export interface CliDependencies {
  /** Replaces a venue's adapter factory. */
  adapterFactories?: Partial<Record<VenueId, AdapterFactory>>
  /** Extra simulator options for `--sim` (market settings such as the dislocation probability). */
  simulator?: StartSimulatorOptions
  /** Dashboard/book redraw interval (default 100 ms: at most 10 redraws a second). */
  redrawIntervalMs?: number
}

/** What every command's registrar gets. */
export interface CliContext {
  io: CliIo
  deps: CliDependencies
}
