import { createBinance } from '@tickmesh/binance'
import { createBybit } from '@tickmesh/bybit'
import { createCoinbase } from '@tickmesh/coinbase'
import {
  type AdapterSettings,
  ConfigError,
  type RawItem,
  type VenueAdapter,
  type VenueId,
} from '@tickmesh/core'
import { createOkx } from '@tickmesh/okx'
import { type Simulator, startSimulator } from '@tickmesh/simulator'
import type { CliConfig } from './config'
import type { AdapterFactory, CliDependencies } from './context'
import { UsageError } from './errors'

/** Venue name → the real adapter factory. */
export const ADAPTER_FACTORIES: Partial<Record<VenueId, AdapterFactory>> = {
  binance: createBinance,
  bybit: createBybit,
  okx: createOkx,
  coinbase: createCoinbase,
}

export interface OpenVenuesOptions {
  venues: readonly VenueId[]
  /** Start the embedded simulator on loopback and point the adapters at it. */
  sim: boolean
  seed?: number
  config: CliConfig
  openTimeoutMs: number
  /** Every raw frame and REST response (for `record`). */
  onRaw?: (item: RawItem) => void
  deps: CliDependencies
}

/** Adapters (and the simulator, with --sim) for one command run. */
export interface OpenVenues {
  adapters: VenueAdapter[]
  /** Where each venue connects, for error messages. */
  endpoints: Record<string, string>
  simulator: Simulator | null
  /** Closes the adapters, then the simulator. Never rejects. */
  close(): Promise<void>
}

/** The endpoint a venue's adapter uses by default, for messages when no status named one. */
const DEFAULT_ENDPOINTS: Record<VenueId, string> = {
  binance: 'wss://stream.binance.com:9443',
  bybit: 'wss://stream.bybit.com',
  okx: 'wss://ws.okx.com:8443',
  coinbase: 'wss://ws-feed.exchange.coinbase.com',
}

/**
 * Creates the adapters for `venues`. With `sim`, the simulator starts first on loopback (ephemeral
 * ports) and every adapter gets its `ws://127.0.0.1:<port>` and `http://…` base URLs: the real
 * adapters, sockets and book sync run against it.
 */
export async function openVenues(options: OpenVenuesOptions): Promise<OpenVenues> {
  const factories = { ...ADAPTER_FACTORIES, ...options.deps.adapterFactories }
  for (const venue of options.venues) {
    if (factories[venue] === undefined) {
      throw new UsageError(`The ${venue} adapter is not available in this build.`, {
        venue,
        hint: `Leave it out of --venues; available: ${Object.keys(factories).join(', ')}.`,
      })
    }
  }
  let simulator: Simulator | null = null
  if (options.sim) {
    simulator = await startSimulator({
      ...options.deps.simulator,
      venues: options.venues,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    })
  }
  const adapters: VenueAdapter[] = []
  const endpoints: Record<string, string> = {}
  try {
    for (const venue of options.venues) {
      const settings: AdapterSettings = { openTimeoutMs: options.openTimeoutMs }
      const venueConfig = options.config.venues[venue]
      if (simulator !== null) {
        settings.wsUrl = simulator.venues[venue].ws
        settings.restUrl = simulator.venues[venue].rest
      } else {
        if (venueConfig?.wsUrl !== undefined) settings.wsUrl = venueConfig.wsUrl
        if (venueConfig?.restUrl !== undefined) settings.restUrl = venueConfig.restUrl
        if (venueConfig?.credentials !== undefined) settings.credentials = venueConfig.credentials
      }
      if (options.onRaw !== undefined) settings.onRaw = options.onRaw
      endpoints[venue] =
        typeof settings.wsUrl === 'string'
          ? settings.wsUrl
          : (settings.wsUrl?.[0] ?? DEFAULT_ENDPOINTS[venue])
      adapters.push(factories[venue]!(settings))
    }
  } catch (error) {
    await Promise.allSettled(adapters.map((adapter) => adapter.close()))
    await simulator?.close()
    // Settings the adapter refused came from the user (an endpoint, a credential): a usage error.
    if (error instanceof ConfigError && !(error instanceof UsageError)) {
      throw new UsageError(error.shortMessage, {
        venue: error.venue,
        hint: error.hint,
        details: error.details,
      })
    }
    throw error
  }
  let closing: Promise<void> | null = null
  return {
    adapters,
    endpoints,
    simulator,
    close: () => {
      closing ??= (async () => {
        await Promise.allSettled(adapters.map((adapter) => adapter.close()))
        if (simulator !== null) await simulator.close().catch(() => undefined)
      })()
      return closing
    },
  }
}
