import type {
  CandleInterval,
  Channel,
  ClockSync,
  Instrument,
  Market,
  MarketEvent,
  PoolConnection,
  RestClient,
  StatusEvent,
  SubscribeRequest,
  Subscription,
  SubscriptionHandlers,
  TickmeshError,
  TopicPool,
  VenueAdapter,
} from '@tickmesh/core'
import {
  assertSecureUrl,
  assertUnifiedSymbol,
  CANDLE_INTERVALS,
  ConfigError,
  closestMatch,
  createClockSync,
  createRestClient,
  createTopicPool,
  EventStream,
  nowMs,
  SubscriptionError,
  TickmeshError as TickmeshErrorClass,
} from '@tickmesh/core'
import { WebSocket } from 'ws'
import { coinbaseAuthError, signCoinbaseSubscribe } from './coinbase-auth'
import { COINBASE_REST_URL, COINBASE_WS_URL, DEFAULT_BOOK_DEPTH } from './coinbase-defaults'
import { type CoinbaseFrameProcessor, createCoinbaseFrameProcessor } from './coinbase-frame-processor'
import type { CoinbaseSettings } from './coinbase-settings'
import { type CoinbaseFeedChannel, channelsOf, splitTopic, topicOf } from './coinbase-topics'
import { parseCoinbaseControl } from './decode/parse-coinbase-control'

interface RestProduct {
  id?: unknown
  base_currency?: unknown
  quote_currency?: unknown
  quote_increment?: unknown
  base_increment?: unknown
  status?: unknown
}

interface SubscriptionState {
  id: string
  request: Readonly<SubscribeRequest>
  stream: EventStream
  handlers: SubscriptionHandlers
  /** Unified symbols → product ids, once resolved. */
  products: Map<string, string>
  topics: string[]
  interval: CandleInterval
  depth: number
  active: boolean
  /** On the authenticated connection pool (user, balance, and level2 books). */
  isPrivate: boolean
}

/** Pool topics per request channel: the feed channels that carry it (heartbeat for liveness). */
function feedChannelsOf(channel: Channel, authenticatedBook: boolean): CoinbaseFeedChannel[] {
  switch (channel) {
    case 'ticker':
    case 'bbo':
      return ['ticker', 'heartbeat']
    case 'trades':
    case 'candles':
      return ['matches', 'heartbeat']
    case 'book':
      return [authenticatedBook ? 'level2' : 'level2_batch', 'heartbeat']
    // Heartbeats keep quiet private channels from looking stale to the idle watch.
    case 'orders':
      return ['user', 'heartbeat']
    case 'balances':
      return ['balance', 'heartbeat']
  }
}

const PRIVATE_CHANNELS: ReadonlySet<Channel> = new Set(['orders', 'balances'])

/**
 * Coinbase Exchange market data (and the authenticated `user`/`balance` channels) as normalized
 * tickmesh events. Spot only: Coinbase Exchange lists no perpetuals.
 */
export function createCoinbase(settings: CoinbaseSettings = {}): VenueAdapter {
  const wsUrls = toList(settings.wsUrl ?? COINBASE_WS_URL)
  const restUrl = settings.restUrl ?? COINBASE_REST_URL
  const allowInsecure = settings.allowInsecure === true
  for (const url of wsUrls) assertSecureUrl(url, { venue: 'coinbase', allowInsecure, kind: 'ws' })
  // REST carries signed requests too: the same rule as the feed.
  assertSecureUrl(restUrl, { venue: 'coinbase', allowInsecure, kind: 'http' })
  const clock = settings.clock ?? Date.now
  const authenticatedBook = settings.authenticatedBook === true
  if (authenticatedBook && settings.credentials === undefined) {
    throw new ConfigError('authenticatedBook needs credentials: Coinbase level2 requires authentication.', {
      venue: 'coinbase',
      hint: 'Pass credentials, or leave authenticatedBook off to use the public level2_batch channel.',
    })
  }
  const defaultDepth = settings.bookDepth ?? DEFAULT_BOOK_DEPTH
  const all = new EventStream({ venue: 'coinbase', highWaterMark: settings.highWaterMark ?? 10_000 })
  const subscriptions = new Set<SubscriptionState>()
  /** channel → unified symbol → subscriptions that get its events. */
  const routes = new Map<Channel, Map<string, Set<SubscriptionState>>>()
  /** Subscriptions per topic and pool (`p|…` public, `x|…` private): the same topic can be on both. */
  const topicCounts = new Map<string, number>()
  const countKey = (isPrivate: boolean, topic: string) => `${isPrivate ? 'x' : 'p'}|${topic}`
  let nextId = 0
  let closed = false
  let instrumentsPromise: Promise<Instrument[]> | null = null
  const bySymbol = new Map<string, Instrument>()
  const byProduct = new Map<string, Instrument>()

  const rest: RestClient = createRestClient({
    baseUrl: restUrl,
    venue: 'coinbase',
    ...(settings.fetch === undefined ? {} : { fetch: settings.fetch }),
    ...(settings.onRaw === undefined
      ? {}
      : {
          onRaw: (response) =>
            settings.onRaw?.({
              kind: 'rest',
              venue: 'coinbase',
              market: 'spot',
              url: response.url,
              status: response.status,
              data: response.data,
              receivedAt: response.receivedAt,
            }),
        }),
  })
  const clockSync: ClockSync = createClockSync({
    fetchServerTime: async () => {
      const response = await rest.get<{ epoch?: unknown }>('/time')
      const epoch = Number(response.value.epoch)
      if (!Number.isFinite(epoch)) throw new TickmeshErrorClass('Coinbase /time answered without an epoch.')
      return epoch * 1000
    },
    now: clock,
  })

  const processor: CoinbaseFrameProcessor = createCoinbaseFrameProcessor({
    emit: route,
    restUrl,
    bookDepth: defaultDepth,
    ...(settings.fetch === undefined ? {} : { fetch: settings.fetch }),
    ...(settings.onRaw === undefined ? {} : { onRaw: settings.onRaw }),
    ...(settings.backfillLimit === undefined ? {} : { backfillLimit: settings.backfillLimit }),
    symbolOf: (productId) => byProduct.get(productId)?.symbol,
    requestSnapshot: (productId) => void resubscribeBook(productId),
  })

  const poolBase = {
    urls: wsUrls,
    WebSocket: settings.WebSocket ?? WebSocket,
    openTimeoutMs: settings.openTimeoutMs ?? 10_000,
    keepAlive: settings.keepAlive ?? { intervalMs: 15_000, pongTimeoutMs: 10_000 },
    // The feed allows 10 inbound messages/s; stay under it.
    maxMessagesPerSecond: 8,
    maxTopicsPerConnection: settings.maxTopicsPerConnection ?? 100,
    maxTopicsPerRequest: 50,
    ackTimeoutMs: settings.ackTimeoutMs ?? 10_000,
    // Acks and refusals never reach onMessage; they are recorded here so a replay sees every frame.
    parseControl: (text: string) => {
      const control = parseCoinbaseControl(text)
      if (control !== null) record(text, nowMs())
      return control
    },
    buildUnsubscribe: (topics: readonly string[]) =>
      JSON.stringify({ type: 'unsubscribe', channels: channelsOf(topics) }),
    onMessage: (text: string, receivedAt: number, connection: PoolConnection) =>
      onFrame(text, receivedAt, connection),
    onOpen: (connection: PoolConnection, isReconnect: boolean) => {
      if (!isReconnect) return
      // l2update has no sequence: books on this connection wait for the resubscribe's snapshot.
      for (const topic of connection.topics) {
        const { channel, productId } = splitTopic(topic)
        if (channel === 'level2_batch' || channel === 'level2') processor.resetBook(productId)
      }
    },
    onStatus: (change: { state: StatusEvent['state']; reason: string; url: string; attempt: number }) => {
      broadcast({
        kind: 'status',
        venue: 'coinbase',
        market: 'spot',
        state: change.state,
        reason: change.reason,
        symbol: null,
        channel: null,
        url: change.url,
        attempt: change.attempt,
        receivedAt: nowMs(),
      })
    },
    onError: (error: TickmeshError) => broadcastError(error),
    ...(settings.reconnect === undefined ? {} : { backoff: settings.reconnect }),
  }
  const publicPool: TopicPool = createTopicPool({
    ...poolBase,
    label: 'coinbase-feed',
    buildSubscribe: (topics) => JSON.stringify({ type: 'subscribe', channels: channelsOf(topics) }),
  })
  let privatePool: TopicPool | null = null
  function privatePoolOf(): TopicPool {
    const credentials = settings.credentials
    if (credentials === undefined) {
      throw new ConfigError('Private Coinbase channels need credentials.', {
        venue: 'coinbase',
        hint: 'Pass credentials: createCredentials({ apiKey, secret, passphrase }).',
      })
    }
    privatePool ??= createTopicPool({
      ...poolBase,
      label: 'coinbase-private',
      // Signed with the venue's time so a drifted local clock does not fail auth.
      buildSubscribe: (topics) =>
        JSON.stringify({
          type: 'subscribe',
          channels: channelsOf(topics),
          ...signCoinbaseSubscribe(
            credentials,
            settings.syncClock === false ? clock() : clockSync.serverNow(),
          ),
        }),
    })
    return privatePool
  }

  const flushMs = settings.candleFlushMs ?? 1_000
  const candleGraceMs = settings.candleCloseGraceMs ?? 500
  let candleTimer: ReturnType<typeof setInterval> | null = null
  function updateCandleTimer(): void {
    const wanted = [...subscriptions].some((state) => state.active && state.request.channel === 'candles')
    if (wanted && candleTimer === null) {
      // Closed a grace period after the interval ends, so trades still in flight count.
      candleTimer = setInterval(
        () => processor.flushCandles(clock() + clockSync.offsetMs - candleGraceMs),
        flushMs,
      )
      candleTimer.unref?.()
    } else if (!wanted && candleTimer !== null) {
      clearInterval(candleTimer)
      candleTimer = null
    }
  }

  /** Topic strings per product, so the hot path does not build them per frame. */
  const liveness = new Map<string, string[]>()
  function record(text: string, receivedAt: number): void {
    if (settings.onRaw === undefined) return
    try {
      settings.onRaw({
        kind: 'ws',
        venue: 'coinbase',
        market: 'spot',
        url: wsUrls[0] as string,
        data: text,
        receivedAt,
      })
    } catch {
      // A recorder that throws must not break the stream.
    }
  }

  function onFrame(text: string, receivedAt: number, connection: PoolConnection): void {
    record(text, receivedAt)
    // Any frame of a product proves that product's topics on this connection alive: quiet products
    // (no trades for minutes) still get heartbeats, so their ticker/matches topics never look stale.
    const at = text.indexOf('"product_id":"')
    if (at >= 0) {
      const end = text.indexOf('"', at + 14)
      const topics = liveness.get(text.slice(at + 14, end))
      if (topics !== undefined) {
        for (const topic of topics) {
          if (!connection.topics.has(topic)) continue
          publicPool.touch(topic, receivedAt)
          privatePool?.touch(topic, receivedAt)
        }
      }
    }
    processor.push(text, 'spot', receivedAt)
  }

  function route(event: MarketEvent): void {
    all.push(event)
    switch (event.kind) {
      case 'ticker':
        deliver('ticker', event.symbol, event)
        return
      case 'bbo':
        deliver('bbo', event.symbol, event)
        return
      case 'trade':
        deliver('trades', event.symbol, event)
        return
      case 'book':
        deliver('book', event.symbol, event)
        return
      case 'candle':
        deliver('candles', event.symbol, event)
        return
      case 'order':
        deliver('orders', event.symbol, event)
        return
      case 'balance':
        for (const state of subscriptions) if (state.request.channel === 'balances') send(state, event)
        return
      case 'gap':
        deliver(event.channel, event.symbol, event)
        if (event.channel === 'trades') deliver('candles', event.symbol, event)
        return
      case 'status':
        if (event.symbol === null || event.channel === null) {
          for (const state of subscriptions) send(state, event)
          return
        }
        deliver(event.channel, event.symbol, event)
        if (event.channel === 'trades') deliver('candles', event.symbol, event)
        return
      case 'error':
        for (const state of subscriptions) {
          if (event.symbol === null || state.products.has(event.symbol)) send(state, event)
        }
        return
    }
  }

  function deliver(channel: Channel, symbol: string, event: MarketEvent): void {
    const targets = routes.get(channel)?.get(symbol)
    if (targets === undefined) return
    for (const state of targets) send(state, event)
  }

  function send(state: SubscriptionState, event: MarketEvent): void {
    if (!state.active) return
    if (event.kind === 'candle' && event.interval !== state.interval) return
    let delivered = event
    if (event.kind === 'book' && state.depth < event.bids.length + event.asks.length) {
      if (event.bids.length > state.depth || event.asks.length > state.depth) {
        delivered = {
          ...event,
          bids: event.bids.slice(0, state.depth),
          asks: event.asks.slice(0, state.depth),
        }
      }
    }
    state.stream.push(delivered)
    if (state.handlers.onEvent !== undefined) safeCall(() => state.handlers.onEvent?.(delivered))
    if (delivered.kind === 'status' && state.handlers.onStatus !== undefined) {
      safeCall(() => state.handlers.onStatus?.(delivered))
    }
  }

  function broadcast(event: MarketEvent): void {
    all.push(event)
    for (const state of subscriptions) send(state, event)
  }

  function broadcastError(error: TickmeshError): void {
    broadcast(errorEvent(error, null))
    for (const state of subscriptions) {
      if (state.handlers.onError !== undefined) safeCall(() => state.handlers.onError?.(error))
    }
  }

  async function loadInstruments(): Promise<Instrument[]> {
    if (instrumentsPromise === null) {
      instrumentsPromise = rest.get<RestProduct[]>('/products').then((response) => {
        const list: Instrument[] = []
        for (const product of Array.isArray(response.value) ? response.value : []) {
          const instrument = toInstrument(product)
          if (instrument === null) continue
          list.push(instrument)
          bySymbol.set(instrument.symbol, instrument)
          byProduct.set(instrument.venueSymbol, instrument)
        }
        return list
      })
      // A failed load is retried by the next call instead of caching the failure.
      instrumentsPromise.catch(() => {
        instrumentsPromise = null
      })
    }
    return instrumentsPromise
  }

  async function resubscribeBook(productId: string): Promise<void> {
    const topic = topicOf(authenticatedBook ? 'level2' : 'level2_batch', productId)
    const pool = authenticatedBook ? privatePool : publicPool
    if (pool === null || !pool.has(topic)) return
    settings.logger?.warn('coinbase: resubscribing one book for a fresh snapshot', { productId, topic })
    try {
      // Coinbase sends a snapshot only on subscribe: drop and re-add just this product's book.
      await pool.remove([topic])
      if ((topicCounts.get(countKey(authenticatedBook, topic)) ?? 0) > 0 && !closed) await pool.add([topic])
    } catch (error) {
      broadcastError(asTickmeshError(error))
    }
  }

  async function start(state: SubscriptionState): Promise<void> {
    const request = state.request
    const market: Market = request.market ?? 'spot'
    if (market !== 'spot') {
      throw new SubscriptionError(`Coinbase Exchange has no ${market} market.`, {
        venue: 'coinbase',
        hint: 'Coinbase Exchange lists spot products only; subscribe with market: "spot".',
        details: { market },
      })
    }
    if (request.symbols.length === 0) {
      throw new SubscriptionError('A subscription needs at least one symbol.', {
        venue: 'coinbase',
        hint: 'Pass symbols: ["BTC/USD"].',
      })
    }
    for (const symbol of request.symbols) assertUnifiedSymbol(symbol, 'spot', 'coinbase')
    if (
      request.channel === 'book' &&
      request.depth !== undefined &&
      !(Number.isInteger(request.depth) && request.depth > 0)
    ) {
      throw new ConfigError(`Book depth must be a positive integer, got ${String(request.depth)}.`, {
        venue: 'coinbase',
        hint: 'Pass depth: 10 (levels per side), or leave it out for the default.',
      })
    }
    if (request.channel === 'candles' && !(CANDLE_INTERVALS as readonly string[]).includes(state.interval)) {
      throw new ConfigError(`Unknown candle interval "${String(state.interval)}".`, {
        venue: 'coinbase',
        hint: `Use one of ${CANDLE_INTERVALS.join(', ')}.`,
      })
    }
    await loadInstruments()
    // Unsubscribed (or closed) while the instruments loaded: nothing to set up.
    if (!state.active) return
    for (const symbol of request.symbols) {
      const instrument = bySymbol.get(symbol)
      if (instrument === undefined) {
        const suggestion = closestMatch(symbol, bySymbol.keys())
        throw new SubscriptionError(`Coinbase has no product ${symbol}.`, {
          venue: 'coinbase',
          hint:
            suggestion === null
              ? 'See adapter.instruments() for the listed products.'
              : `Did you mean ${suggestion}?`,
          details: { symbol, closest: suggestion },
        })
      }
      state.products.set(symbol, instrument.venueSymbol)
    }
    const pool = state.isPrivate ? privatePoolOf() : publicPool
    // The signature's timestamp comes from the venue's clock; a failed sync falls back to local time.
    if (state.isPrivate && settings.syncClock !== false && clockSync.syncedAt === null) {
      await clockSync.sync().catch(() => undefined)
      // Re-measured every 5 minutes (unref'd timer, stopped on close).
      if (!closed) clockSync.start()
      if (!state.active) return
    }
    const topics: string[] = []
    for (const productId of state.products.values()) {
      for (const channel of feedChannelsOf(request.channel, authenticatedBook)) {
        topics.push(topicOf(channel, productId))
      }
      if (!liveness.has(productId)) liveness.set(productId, [])
    }
    for (const topic of topics) {
      const key = countKey(state.isPrivate, topic)
      topicCounts.set(key, (topicCounts.get(key) ?? 0) + 1)
      const { productId } = splitTopic(topic)
      const live = liveness.get(productId) as string[]
      if (!live.includes(topic)) live.push(topic)
    }
    state.topics = topics
    // Route before the acks: the snapshot and first frames follow the ack immediately.
    for (const symbol of state.products.keys()) addRoute(request.channel, symbol, state)
    if (request.channel === 'candles') {
      for (const productId of state.products.values()) processor.addCandles(productId, state.interval)
      updateCandleTimer()
    }
    if (request.channel === 'book') processor.setBookDepth(maxDepth())
    try {
      await pool.add(topics)
    } catch (error) {
      throw await refine(error)
    }
  }

  /** The processor emits the deepest view any book subscription wants; shallower ones get a slice. */
  function maxDepth(): number {
    let depth = 0
    for (const state of subscriptions) {
      if (state.active && state.request.channel === 'book' && state.depth > depth) depth = state.depth
    }
    return depth === 0 ? defaultDepth : depth
  }

  /** An `Authentication Failed` refusal becomes an AuthenticationError with the measured clock drift. */
  async function refine(error: unknown): Promise<TickmeshError> {
    const tickmesh = asTickmeshError(error)
    const venueMessage = error instanceof SubscriptionError ? error.venueMessage : null
    if (venueMessage === null || !venueMessage.startsWith('Authentication Failed')) return tickmesh
    let drift: { clockDriftMs: number; localTime: number; serverTime: number } | null = null
    try {
      const sample = await clockSync.sync()
      const localTime = clock()
      drift = { clockDriftMs: -sample.offsetMs, localTime, serverTime: localTime + sample.offsetMs }
    } catch {
      // Without the venue time the error names the venue's reason only.
    }
    const refined = coinbaseAuthError(venueMessage, drift, error)
    settings.logger?.error('coinbase: authentication failed', { reason: refined.shortMessage, venueMessage })
    return refined
  }

  function addRoute(channel: Channel, symbol: string, state: SubscriptionState): void {
    let bySym = routes.get(channel)
    if (bySym === undefined) {
      bySym = new Map()
      routes.set(channel, bySym)
    }
    let set = bySym.get(symbol)
    if (set === undefined) {
      set = new Set()
      bySym.set(symbol, set)
    }
    set.add(state)
  }

  function removeRoutes(state: SubscriptionState): void {
    const bySym = routes.get(state.request.channel)
    if (bySym === undefined) return
    for (const symbol of state.products.keys()) {
      const set = bySym.get(symbol)
      set?.delete(state)
      if (set?.size === 0) bySym.delete(symbol)
    }
  }

  async function stop(state: SubscriptionState): Promise<void> {
    if (!state.active) return
    state.active = false
    subscriptions.delete(state)
    removeRoutes(state)
    const request = state.request
    if (request.channel === 'candles') {
      const stillWanted = (productId: string) =>
        [...subscriptions].some(
          (other) =>
            other.request.channel === 'candles' &&
            other.interval === state.interval &&
            [...other.products.values()].includes(productId),
        )
      for (const productId of state.products.values()) {
        if (!stillWanted(productId)) processor.removeCandles(productId, state.interval)
      }
      updateCandleTimer()
    }
    if (request.channel === 'book') processor.setBookDepth(maxDepth())
    const released: string[] = []
    for (const topic of state.topics) {
      const key = countKey(state.isPrivate, topic)
      const count = (topicCounts.get(key) ?? 1) - 1
      if (count > 0) {
        topicCounts.set(key, count)
        continue
      }
      topicCounts.delete(key)
      released.push(topic)
      const { channel, productId } = splitTopic(topic)
      if (channel === 'matches') processor.forgetTrades(productId)
      if (channel === 'level2_batch' || channel === 'level2') processor.forgetBook(productId)
      if (topicCounts.has(countKey(!state.isPrivate, topic))) continue
      const live = liveness.get(productId)
      if (live !== undefined) {
        const index = live.indexOf(topic)
        if (index >= 0) live.splice(index, 1)
      }
    }
    state.stream.close()
    if (released.length === 0 || closed) return
    const pool = state.isPrivate ? privatePool : publicPool
    await pool?.remove(released).catch((error: unknown) => broadcastError(asTickmeshError(error)))
  }

  return {
    venue: 'coinbase',
    subscribe(request: SubscribeRequest, handlers: SubscriptionHandlers = {}): Subscription {
      const state: SubscriptionState = {
        id: `coinbase-${++nextId}`,
        request: Object.freeze({ ...request, symbols: [...request.symbols] }),
        stream: new EventStream({ venue: 'coinbase', highWaterMark: settings.highWaterMark ?? 10_000 }),
        handlers,
        products: new Map(),
        topics: [],
        interval: request.interval ?? '1m',
        depth: request.depth ?? defaultDepth,
        active: true,
        isPrivate: PRIVATE_CHANNELS.has(request.channel) || (request.channel === 'book' && authenticatedBook),
      }
      if (closed) state.active = false
      else subscriptions.add(state)
      const ready = closed
        ? Promise.reject(new SubscriptionError('The Coinbase adapter is closed.', { venue: 'coinbase' }))
        : start(state).catch(async (error: unknown) => {
            const failure = asTickmeshError(error)
            const event = errorEvent(failure, null)
            state.stream.push(event)
            if (handlers.onError !== undefined) safeCall(() => handlers.onError?.(failure))
            all.push(event)
            await stop(state)
            throw failure
          })
      // Unobserved `ready` must not crash the process: the error also reaches onError and the stream.
      ready.catch(() => undefined)
      return {
        id: state.id,
        request: state.request,
        ready,
        unsubscribe: () => stop(state),
        [Symbol.asyncIterator]: () => state.stream[Symbol.asyncIterator](),
      }
    },
    onEvent(listener: (event: MarketEvent) => void): () => void {
      return all.on(listener)
    },
    async instruments(market: Market = 'spot'): Promise<readonly Instrument[]> {
      if (market !== 'spot') return []
      return loadInstruments()
    },
    async close(): Promise<void> {
      if (closed) return
      closed = true
      if (candleTimer !== null) clearInterval(candleTimer)
      candleTimer = null
      clockSync.stop()
      for (const state of [...subscriptions]) {
        state.active = false
        state.stream.close()
      }
      subscriptions.clear()
      routes.clear()
      processor.close()
      await Promise.all([publicPool.close(), privatePool?.close()])
      all.close()
    },
  }
}

function toInstrument(product: RestProduct): Instrument | null {
  const { id, base_currency: base, quote_currency: quote } = product
  if (typeof id !== 'string' || typeof base !== 'string' || typeof quote !== 'string') return null
  const tickSize = Number(product.quote_increment)
  const lotSize = Number(product.base_increment)
  if (!(tickSize > 0) || !(lotSize > 0)) return null
  return {
    venue: 'coinbase',
    market: 'spot',
    symbol: `${base}/${quote}`,
    venueSymbol: id,
    base,
    quote,
    tickSize,
    lotSize,
  }
}

function toList(value: string | string[]): string[] {
  return typeof value === 'string' ? [value] : [...value]
}

function asTickmeshError(error: unknown): TickmeshError {
  if (error instanceof TickmeshErrorClass) return error
  return new TickmeshErrorClass(error instanceof Error ? error.message : String(error), {
    venue: 'coinbase',
    cause: error,
  })
}

function errorEvent(error: TickmeshError, symbol: string | null): MarketEvent {
  return {
    kind: 'error',
    venue: 'coinbase',
    market: 'spot',
    symbol,
    code: error.code,
    message: error.shortMessage,
    hint: error.hint,
    raw: null,
    receivedAt: nowMs(),
  }
}

function safeCall(callback: () => void): void {
  try {
    callback()
  } catch {
    // A user callback that throws must not break the receive loop.
  }
}
