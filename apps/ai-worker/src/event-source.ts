import type { MarketView } from '@tickmesh/aggregator'
import { createMultiVenueClient } from '@tickmesh/aggregator'
import type { MarketEvent, VenueId } from '@tickmesh/core'
import { ConfigError, nowMs, parseSymbol, VENUES } from '@tickmesh/core'
import { createNatsSource } from '@tickmesh/nats'
import type { Simulator } from '@tickmesh/simulator'
import { startSimulator } from '@tickmesh/simulator'

export interface EventSourceOptions {
  /** Unified symbols (`BTC/USDT`); Coinbase is asked for the USD pair and merged as USDT. */
  symbols: readonly string[]
  /** Run the simulator in-process on loopback instead of connecting to the venues. */
  sim?: boolean
  /** Simulator seed and tick interval (ms). */
  simSeed?: number
  simTickIntervalMs?: number
  /** Venues to connect. Default all four. */
  venues?: readonly VenueId[]
  /** A collector's stream (`nats://…`); see the NATS issue. */
  from?: string
  /** Quotes older than this are left out of the view. Default 5 000 ms. */
  staleAfterMs?: number
}

/** Where market events come from: a live view plus a listener for disruptions. */
export interface MarketEventSource {
  readonly view: MarketView
  /** `simulator (4 venues)`, `live (binance, okx)`, … for the start-up line. */
  readonly description: string
  onEvent(listener: (event: MarketEvent) => void): () => void
  /** Resolves with subscription problems, in words (empty when everything subscribed). */
  readonly ready: Promise<string[]>
  close(): Promise<void>
}

/** Coinbase lists USD pairs where the others list USDT; the view merges them (`USD=USDT`). */
function coinbaseSymbol(symbol: string): string {
  const parts = parseSymbol(symbol)
  return parts !== null && parts.quote === 'USDT' && parts.settle === null ? `${parts.base}/USD` : symbol
}

/** Opens the event source the options name. The one place a new source (NATS) plugs in. */
export async function openEventSource(options: EventSourceOptions): Promise<MarketEventSource> {
  if (options.from !== undefined && options.sim === true) {
    throw new ConfigError('--from and --sim cannot be combined.', {
      hint: 'Read a collector with --from nats://…, or run the simulator with --sim.',
    })
  }
  if (options.symbols.length === 0) {
    throw new ConfigError('No symbols to analyse.', {
      hint: 'Name some: tickmesh-ai --sim BTC/USDT ETH/USDT.',
    })
  }
  const venues = options.venues ?? VENUES
  let sim: Simulator | null = null
  if (options.sim === true) {
    sim = await startSimulator({
      venues,
      port: 0,
      seed: options.simSeed ?? 1,
      ...(options.simTickIntervalMs === undefined
        ? {}
        : { market: { tickIntervalMs: options.simTickIntervalMs } }),
    })
  }
  const settings: Partial<Record<VenueId, { wsUrl?: string; restUrl?: string }>> = {}
  for (const venue of venues) {
    settings[venue] = sim === null ? {} : { wsUrl: sim.venues[venue].ws, restUrl: sim.venues[venue].rest }
  }
  // --from: each venue's adapter reads what collectors stored in NATS (latest state first, then live).
  const from = options.from
  const sources = from === undefined ? null : venues.map((venue) => createNatsSource(from, venue))
  try {
    const client = createMultiVenueClient({
      ...(sources === null ? { venues: settings } : { adapters: sources }),
      symbols: options.symbols,
      ...(venues.includes('coinbase')
        ? { symbolsByVenue: { coinbase: options.symbols.map(coinbaseSymbol) } }
        : {}),
      quoteEquivalence: ['USD=USDT'],
      channels: ['bbo', 'trades', 'book'],
      depth: 10,
      staleAfterMs: options.staleAfterMs ?? 5_000,
      // The wall clock, so venues that fall silent go stale (the view's default clock stops with them).
      now: nowMs,
    })
    const ready = client.ready.then((failures) =>
      failures.map(
        (failure) =>
          `${failure.venue} refused ${failure.channel} for ${failure.symbols.join(', ')}: ${failure.error.message.split('\n')[0]}`,
      ),
    )
    const simulator = sim
    return {
      view: client.view,
      description: `${from !== undefined ? `NATS ${redactUrl(from)}` : simulator === null ? 'live' : 'simulator'} (${venues.join(', ')})`,
      onEvent: (listener) => client.onEvent(listener),
      ready,
      close: async () => {
        await client.close()
        await Promise.allSettled((sources ?? []).map((source) => source.close()))
        await simulator?.close()
      },
    }
  } catch (error) {
    await Promise.allSettled((sources ?? []).map((source) => source.close()))
    await sim?.close()
    throw error
  }
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@')
}
