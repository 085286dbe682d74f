import type {
  Channel,
  Market,
  MarketEvent,
  SubscribeRequest,
  Subscription,
  TickmeshError,
  VenueAdapter,
  VenueId,
} from '@tickmesh/core'
import { assertUnifiedSymbol, ConfigError, EventStream, VENUES } from '@tickmesh/core'
import type { OpportunityEvent } from './arbitrage-detector'
import type { MarketView } from './market-view'
import { createMarketView } from './market-view'
import type { MarketViewOptions } from './market-view-options'
import { validateOptions } from './market-view-options'
import type { VenueSettingsMap } from './venue-factories'
import { createVenueAdapters } from './venue-factories'

export interface MultiVenueClientOptions extends MarketViewOptions {
  /** Adapters to use (you keep ownership: `close()` unsubscribes but does not close them). */
  adapters?: readonly VenueAdapter[]
  /**
   * Or venues to connect, with their adapter settings: `{ binance: {}, okx: { wsUrl } }`. The client
   * creates these adapters and closes them on `close()`.
   */
  venues?: VenueSettingsMap
  /** Unified symbols subscribed on every venue (`BTC/USDT`). */
  symbols: readonly string[]
  /** Per-venue replacements for `symbols`, e.g. `{ coinbase: ['BTC/USD'] }` with `quoteEquivalence: ['USD=USDT']`. */
  symbolsByVenue?: Partial<Record<VenueId, readonly string[]>>
  /** Channels subscribed for every symbol. Default `['bbo']`. */
  channels?: readonly Channel[]
  /** Default `spot`. */
  market?: Market
  /** Book depth when `book` is among the channels. */
  depth?: number
  /** How often open opportunities are re-checked for stale legs (ms). 0 disables. Default 1 000. */
  sweepIntervalMs?: number
  /** Events buffered per async iterator before the oldest are dropped. Default 10 000. */
  highWaterMark?: number
}

/** A subscription that a venue refused or could not acknowledge. */
export interface SubscriptionFailure {
  venue: VenueId
  channel: Channel
  symbols: readonly string[]
  error: TickmeshError | Error
}

/**
 * The same symbols on several venues as one merged stream feeding a `MarketView`: callbacks, async
 * iteration, and the live view (best prices, opportunities, summaries, health).
 */
export interface MultiVenueClient extends AsyncIterable<MarketEvent> {
  readonly view: MarketView
  readonly venues: readonly VenueId[]
  /** Resolves once every subscription was acknowledged or refused, with the refusals (never rejects). */
  readonly ready: Promise<SubscriptionFailure[]>
  /** Every event of every venue (quotes, trades, books, status, errors), after the view applied it. */
  onEvent(listener: (event: MarketEvent) => void): () => void
  onOpportunity(listener: (event: OpportunityEvent) => void): () => void
  /** Unsubscribes, stops the sweep timer, closes adapters the client created, ends iterators. */
  close(): Promise<void>
}

/**
 * Subscribes `symbols` × `channels` on every adapter (given, or created from `venues`) and merges
 * them into one stream and one `MarketView`. Throws `ConfigError`/`SubscriptionError` on bad settings.
 */
export function createMultiVenueClient(options: MultiVenueClientOptions): MultiVenueClient {
  if (options.adapters !== undefined && options.venues !== undefined) {
    throw new ConfigError('Give either adapters or venues to a multi-venue client, not both.', {
      hint: 'Use adapters: [...] to share adapters you own, or venues: { binance: {} } to let the client own them.',
    })
  }
  if (options.venues === undefined) return createClient(options, options.adapters ?? [], false)
  // Validate everything that needs no adapter first, so bad settings create no adapter.
  validateOptions(options)
  const named = options.venues
  validateClientOptions(
    options,
    VENUES.filter((venue) => named[venue] !== undefined),
  )
  const adapters = createVenueAdapters(options.venues)
  try {
    return createClient(options, adapters, true)
  } catch (error) {
    for (const adapter of adapters) void adapter.close().catch(() => undefined)
    throw error
  }
}

function validateClientOptions(options: MultiVenueClientOptions, venues: readonly VenueId[]): void {
  const market = options.market ?? 'spot'
  if (venues.length === 0) {
    throw new ConfigError('A multi-venue client needs at least one adapter or venue.', {
      hint: 'Pass adapters: [createBinance(), …] or venues: { binance: {}, okx: {} }.',
    })
  }
  if ((options.channels ?? ['bbo']).length === 0) {
    throw new ConfigError('A multi-venue client needs at least one channel.', {
      hint: "Use channels: ['bbo'].",
    })
  }
  const seen = new Set<VenueId>()
  for (const venue of venues) {
    if (seen.has(venue)) {
      throw new ConfigError(`Two adapters for ${venue} were given.`, {
        venue,
        hint: 'Give one adapter per venue; the view keeps one quote per venue and symbol.',
      })
    }
    seen.add(venue)
    const symbols = options.symbolsByVenue?.[venue] ?? options.symbols
    if (symbols.length === 0) {
      throw new ConfigError(`No symbols to subscribe on ${venue}.`, {
        venue,
        hint: "Pass symbols: ['BTC/USDT'].",
      })
    }
    for (const symbol of symbols) assertUnifiedSymbol(symbol, market, venue)
  }
}

function createClient(
  options: MultiVenueClientOptions,
  adapterList: readonly VenueAdapter[],
  ownsAdapters: boolean,
): MultiVenueClient {
  const market = options.market ?? 'spot'
  const channels = options.channels ?? ['bbo']
  validateClientOptions(
    options,
    adapterList.map((adapter) => adapter.venue),
  )
  const symbolsOf = (venue: VenueId): readonly string[] => options.symbolsByVenue?.[venue] ?? options.symbols

  const view = createMarketView(options)
  const firstVenue = adapterList[0]!.venue
  const stream = new EventStream(
    options.highWaterMark === undefined
      ? { venue: firstVenue }
      : { venue: firstVenue, highWaterMark: options.highWaterMark },
  )
  const detach: (() => void)[] = []
  const subscriptions: Subscription[] = []
  const failures: Promise<SubscriptionFailure | null>[] = []

  try {
    subscribeAll()
  } catch (error) {
    // A venue refused a request synchronously (e.g. a channel it does not have): undo the others.
    for (const stop of detach) stop()
    for (const subscription of subscriptions) void subscription.unsubscribe().catch(() => undefined)
    view.close()
    stream.close()
    throw error
  }

  function subscribeAll(): void {
    for (const adapter of adapterList) {
      const venue = adapter.venue
      const symbols = symbolsOf(venue)
      // Only this client's symbols reach the view: a shared adapter may carry other subscriptions.
      const accepted = new Set(symbols)
      detach.push(
        adapter.onEvent((event) => {
          if (
            'symbol' in event &&
            event.symbol !== null &&
            event.kind !== 'status' &&
            event.kind !== 'error'
          ) {
            if (!accepted.has(event.symbol)) return
          }
          view.ingest(event)
          stream.push(event)
        }),
      )
      for (const channel of channels) {
        const request: SubscribeRequest = { channel, symbols, market }
        if (options.depth !== undefined) request.depth = options.depth
        const subscription = adapter.subscribe(request)
        subscriptions.push(subscription)
        failures.push(
          subscription.ready.then(
            () => null,
            (error: unknown) => ({
              venue,
              channel,
              symbols,
              error: error instanceof Error ? error : new Error(String(error)),
            }),
          ),
        )
      }
    }
  }

  const sweepIntervalMs = options.sweepIntervalMs ?? 1_000
  let timer: ReturnType<typeof setInterval> | null = null
  if (sweepIntervalMs > 0) {
    timer = setInterval(() => view.sweep(), sweepIntervalMs)
    timer.unref?.()
  }

  let closing: Promise<void> | null = null
  const ready = Promise.all(failures).then((results) =>
    results.filter((result): result is SubscriptionFailure => result !== null),
  )

  return {
    view,
    venues: adapterList.map((adapter) => adapter.venue),
    ready,
    onEvent: (listener) => stream.on(listener),
    onOpportunity: (listener) => view.onOpportunity(listener),
    [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator](),
    close(): Promise<void> {
      closing ??= (async () => {
        if (timer !== null) clearInterval(timer)
        timer = null
        for (const stop of detach) stop()
        await Promise.allSettled(subscriptions.map((subscription) => subscription.unsubscribe()))
        if (ownsAdapters) await Promise.allSettled(adapterList.map((adapter) => adapter.close()))
        view.close()
        stream.close()
      })()
      return closing
    },
  }
}
