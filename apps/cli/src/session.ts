import {
  createMultiVenueClient,
  type MarketViewOptions,
  type MultiVenueClient,
  type MultiVenueClientOptions,
  type SubscriptionFailure,
} from '@tickmesh/aggregator'
import {
  type Channel,
  type Market,
  type MarketEvent,
  parseSymbol,
  type RawItem,
  SubscriptionError,
  TickmeshError,
  type VenueId,
} from '@tickmesh/core'
import type { CliConfig } from './config'
import type { CliDependencies } from './context'
import { type UnreachableVenue, UsageError, VenuesUnreachableError } from './errors'
import { type OpenVenues, openVenues } from './venues'

export interface LiveSessionOptions {
  symbols: readonly string[]
  venues: readonly VenueId[]
  market: Market
  channels: readonly Channel[]
  depth?: number
  sim: boolean
  seed?: number
  config: CliConfig
  openTimeoutMs: number
  onRaw?: (item: RawItem) => void
  /** Market view settings (threshold, notional, …). */
  view?: MarketViewOptions
  /**
   * Quote Coinbase's USD books for USDT symbols (`BTC/USDT` → `BTC/USD` with `USD=USDT`): Coinbase's
   * liquid books are in USD. Default true.
   */
  usdAsUsdt?: boolean
  deps: CliDependencies
  /** Problems worth telling the user that do not stop the run (a venue down, a symbol refused). */
  onWarning: (message: string) => void
}

/** Connection facts per venue, kept up to date from status events. */
export interface VenueConnection {
  venue: VenueId
  state: string
  /** True once the venue sent an `open` status or any market data. */
  reached: boolean
  reason: string | null
  url: string | null
  reconnects: number
  resyncs: number
}

/** A running live session: adapters (and simulator), the multi-venue client and its view. */
export interface LiveSession {
  readonly client: MultiVenueClient
  readonly venues: OpenVenues
  readonly connections: ReadonlyMap<VenueId, VenueConnection>
  /** Symbols subscribed per venue (Coinbase may differ: `BTC/USD`). */
  readonly symbolsByVenue: ReadonlyMap<VenueId, readonly string[]>
  /** Rejects when the session cannot go on (no venue reachable, every subscription refused). */
  readonly failure: Promise<never>
  close(): Promise<void>
}

/** Opens the venues and subscribes every symbol on every channel; watches for venues that never connect. */
export async function openLiveSession(options: LiveSessionOptions): Promise<LiveSession> {
  const venues = await openVenues({
    venues: options.venues,
    sim: options.sim,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    config: options.config,
    openTimeoutMs: options.openTimeoutMs,
    ...(options.onRaw === undefined ? {} : { onRaw: options.onRaw }),
    deps: options.deps,
  })
  const symbolsByVenue = new Map<VenueId, readonly string[]>()
  const clientOptions: MultiVenueClientOptions = {
    ...options.view,
    adapters: venues.adapters,
    symbols: options.symbols,
    channels: options.channels,
    market: options.market,
  }
  if (options.depth !== undefined) clientOptions.depth = options.depth
  for (const venue of options.venues) symbolsByVenue.set(venue, options.symbols)
  if ((options.usdAsUsdt ?? true) && options.market === 'spot' && options.venues.includes('coinbase')) {
    const mapped = options.symbols.map((symbol) => {
      const parts = parseSymbol(symbol)
      return parts !== null && parts.quote === 'USDT' ? `${parts.base}/USD` : symbol
    })
    if (mapped.some((symbol, index) => symbol !== options.symbols[index])) {
      clientOptions.symbolsByVenue = { coinbase: mapped }
      clientOptions.quoteEquivalence = [...(options.view?.quoteEquivalence ?? []), 'USD=USDT']
      symbolsByVenue.set('coinbase', mapped)
    }
  }
  let client: MultiVenueClient
  try {
    client = createMultiVenueClient(clientOptions)
  } catch (error) {
    await venues.close()
    throw error
  }

  const connections = new Map<VenueId, VenueConnection>()
  for (const venue of options.venues) {
    connections.set(venue, {
      venue,
      state: 'connecting',
      reached: false,
      reason: null,
      url: null,
      reconnects: 0,
      resyncs: 0,
    })
  }
  const stopTracking = client.onEvent((event: MarketEvent) => {
    const connection = connections.get(event.venue)
    if (connection === undefined) return
    if (event.kind === 'status') {
      if (event.symbol === null) {
        if (event.state === 'reconnecting' && connection.state !== 'reconnecting') connection.reconnects++
        connection.state = event.state
        if (event.state === 'open') connection.reached = true
      } else if (event.state === 'resyncing') connection.resyncs++
      connection.reason = event.reason
      if (event.url !== null) connection.url = event.url
    } else if (event.kind === 'error') {
      connection.reason = event.message.split('\n')[0] ?? event.message
    } else if (!connection.reached) {
      connection.reached = true
      if (connection.state === 'connecting') connection.state = 'open'
    }
  })

  let fail!: (error: unknown) => void
  const failure = new Promise<never>((_, reject) => {
    fail = reject
  })
  failure.catch(() => {})
  let closed = false
  /** Venues that refused every subscription: already warned about, not "unreachable". */
  const refused = new Set<VenueId>()

  // A venue that sent nothing within the connect timeout (plus a little for the subscribe round trip)
  // is reported; when none was reached the run fails with one paragraph naming each endpoint.
  const watchdog = setTimeout(
    () => {
      if (closed) return
      const missing: UnreachableVenue[] = []
      for (const connection of connections.values()) {
        if (connection.reached || refused.has(connection.venue)) continue
        missing.push({
          venue: connection.venue,
          endpoint: connection.url ?? venues.endpoints[connection.venue] ?? 'its default endpoint',
          timeoutMs: options.openTimeoutMs,
          reason: connection.reason,
        })
      }
      if (missing.length === 0) return
      const error = new VenuesUnreachableError(missing)
      if (missing.length + refused.size === connections.size) fail(error)
      else options.onWarning(`Warning: ${error.shortMessage} The other venues go on.`)
    },
    options.openTimeoutMs + Math.min(2_000, Math.max(250, options.openTimeoutMs / 2)),
  )

  client.ready.then((failures) => {
    if (closed || failures.length === 0) return
    const refusedVenues = new Set(failures.map((entry) => entry.venue))
    const allRefused =
      refusedVenues.size === options.venues.length &&
      failures.every((entry) => entry.error instanceof SubscriptionError)
    if (allRefused) {
      fail(asUsageError(failures[0]!))
      return
    }
    const perVenue = options.channels.length
    for (const venue of refusedVenues) {
      const refusals = failures.filter(
        (entry) => entry.venue === venue && entry.error instanceof SubscriptionError,
      )
      if (refusals.length >= perVenue) refused.add(venue)
    }
    // One warning per venue and reason, naming every channel it concerns.
    const grouped = new Map<string, { failure: SubscriptionFailure; channels: string[] }>()
    for (const entry of failures) {
      const connection = connections.get(entry.venue)
      // A venue that never connected is reported once, by the watchdog, with this as the reason.
      if (connection !== undefined && !connection.reached && !(entry.error instanceof SubscriptionError)) {
        connection.reason = firstLine(entry.error)
        continue
      }
      const key = `${entry.venue}|${entry.symbols.join(',')}|${firstLine(entry.error)}`
      const group = grouped.get(key)
      if (group === undefined) grouped.set(key, { failure: entry, channels: [entry.channel] })
      else group.channels.push(entry.channel)
    }
    for (const { failure, channels } of grouped.values()) {
      options.onWarning(`Warning: ${describeFailure(failure, channels)}`)
    }
  })

  return {
    client,
    venues,
    connections,
    symbolsByVenue,
    failure,
    close: async () => {
      if (closed) return
      closed = true
      clearTimeout(watchdog)
      stopTracking()
      await client.close().catch(() => undefined)
      await venues.close()
    },
  }
}

function firstLine(error: Error): string {
  const text = error instanceof TickmeshError ? error.shortMessage : error.message
  return text.split('\n')[0] ?? text
}

function describeFailure(failure: SubscriptionFailure, channels: readonly string[]): string {
  const error = failure.error
  const text = error instanceof TickmeshError ? error.shortMessage : error.message
  const hint = error instanceof TickmeshError && error.hint ? ` ${error.hint}` : ''
  return `${failure.venue} refused ${channels.join(', ')} for ${failure.symbols.join(', ')}: ${text}${hint}`
}

function asUsageError(failure: SubscriptionFailure): UsageError {
  const error = failure.error as SubscriptionError
  return new UsageError(error.shortMessage, {
    venue: failure.venue,
    hint: error.hint ?? 'Check the symbol spelling: BASE/QUOTE, e.g. BTC/USDT.',
    details: { symbols: failure.symbols.join(', '), channel: failure.channel },
  })
}
