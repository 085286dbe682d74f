import type { Channel, Market, MarketEvent, Subscription, VenueAdapter, VenueId } from '@tickmesh/core'
import type { Publisher } from './create-publisher'
import { type ShardSpec, shardOf } from './shard'

export interface CollectorOptions {
  /** One adapter per venue (`createBinance(…)`, …); the collector closes them on `close`. */
  adapters: readonly VenueAdapter[]
  publisher: Publisher
  /** Unified symbols; every venue is asked for every symbol its shard owns. */
  symbols: readonly string[]
  /** Default trades, book, bbo and ticker. */
  channels?: readonly Channel[]
  /** Default `spot`. */
  market?: Market
  /** Book depth (venue default when absent). */
  depth?: number
  /** Which instruments this collector owns (default: all). */
  shard?: ShardSpec
  /** Every event received from a venue, before publishing (metrics). */
  onEvent?: (event: MarketEvent) => void
}

/** A venue instrument assigned to this collector. */
export interface Assignment {
  venue: VenueId
  market: Market
  symbol: string
}

export interface Collector {
  /** What this shard collects; empty when the shard owns nothing. */
  readonly assignments: readonly Assignment[]
  /** Settles when every subscription was acknowledged or refused (refusals are reported as error events). */
  readonly ready: Promise<void>
  /** Unsubscribes, closes the adapters, then closes the publisher (trades not yet stored spill to disk). */
  close(options?: { flushTimeoutMs?: number }): Promise<void>
}

export const DEFAULT_COLLECT_CHANNELS: readonly Channel[] = ['trades', 'book', 'bbo', 'ticker']

/** The instruments shard `shard` owns among `venues × symbols`. */
export function assignmentsOf(
  venues: readonly VenueId[],
  symbols: readonly string[],
  market: Market,
  shard: ShardSpec | undefined,
): Assignment[] {
  const out: Assignment[] = []
  for (const venue of venues) {
    for (const symbol of symbols) {
      if (shard === undefined || shardOf(venue, market, symbol, shard.count) === shard.index) {
        out.push({ venue, market, symbol })
      }
    }
  }
  return out
}

/**
 * Venue adapters → JetStream: subscribes each adapter to the instruments its shard owns and publishes
 * every event (market data, status and errors) through the publisher.
 */
export function createCollector(options: CollectorOptions): Collector {
  const market = options.market ?? 'spot'
  const channels = options.channels ?? DEFAULT_COLLECT_CHANNELS
  const venues = options.adapters.map((adapter) => adapter.venue)
  const assignments = assignmentsOf(venues, options.symbols, market, options.shard)
  const { publisher, onEvent } = options
  const forward =
    onEvent === undefined
      ? (event: MarketEvent) => publisher.publish(event)
      : (event: MarketEvent) => {
          try {
            onEvent(event)
          } catch {
            // Metrics must not stop collection.
          }
          publisher.publish(event)
        }
  const detach = options.adapters.map((adapter) => adapter.onEvent(forward))
  const subscriptions: Subscription[] = []
  for (const adapter of options.adapters) {
    const symbols = assignments.filter((entry) => entry.venue === adapter.venue).map((entry) => entry.symbol)
    if (symbols.length === 0) continue
    for (const channel of channels) {
      subscriptions.push(
        adapter.subscribe({
          channel,
          symbols,
          market,
          ...(options.depth === undefined ? {} : { depth: options.depth }),
        }),
      )
    }
  }
  const ready = Promise.allSettled(subscriptions.map((subscription) => subscription.ready)).then(
    () => undefined,
  )
  let closing: Promise<void> | null = null
  return {
    assignments,
    ready,
    close: (closeOptions = {}) => {
      closing ??= (async () => {
        await Promise.allSettled(options.adapters.map((adapter) => adapter.close()))
        for (const stop of detach) stop()
        await publisher.close(closeOptions)
      })()
      return closing
    },
  }
}
