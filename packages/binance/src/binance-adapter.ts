import type {
  Instrument,
  Market,
  MarketEvent,
  PoolConnection,
  RestClient,
  SocketStatusChange,
  SubscribeRequest,
  Subscription,
  SubscriptionHandlers,
  TickmeshError,
  TopicPool,
  VenueAdapter,
} from '@tickmesh/core'
import {
  assertUnifiedSymbol,
  ConfigError,
  closestMatch,
  createClockSync,
  createRestClient,
  createTopicPool,
  EventStream,
  nowMs,
  SubscriptionError,
} from '@tickmesh/core'
import type { BinanceEndpoints } from './binance-endpoints'
import { isSupportedMarket, resolveBinanceEndpoints } from './binance-endpoints'
import type { BinanceFrameProcessor } from './binance-frame-processor'
import { createBinanceFrameProcessor } from './binance-frame-processor'
import { BinanceInstrumentCache } from './binance-instruments'
import type { BinanceSettings } from './binance-settings'
import { BINANCE_DEFAULT_BOOK_DEPTH } from './binance-settings'
import { BinanceUserDataStream } from './binance-user-data-stream'
import { isBinanceServerShutdown, parseBinanceControl } from './decode/binance-control'

/** Streams per connection and per SUBSCRIBE request (Binance allows 1024 streams per connection). */
const MAX_STREAMS_PER_CONNECTION = 1024
const MAX_STREAMS_PER_REQUEST = 200

interface SubscriptionState {
  id: string
  request: SubscribeRequest
  market: Market
  stream: EventStream
  /** Route keys this subscription listens on. */
  routes: string[]
  /** Pool topics it holds a reference on. */
  topics: string[]
  /** Unified symbols, for errors and status events about one symbol. */
  symbols: Set<string>
  depth: number
  isPrivate: boolean
  active: boolean
}

function routeKey(market: Market, kind: string, symbol: string, interval = ''): string {
  return `${market}|${kind}|${symbol}|${interval}`
}

/**
 * Binance Spot and USDⓈ-M perpetual market data (and the spot user-data stream) as tickmesh events.
 * Public streams go over combined-stream connections planned by core's topic pool (1024 streams per
 * connection, SUBSCRIBE paced at 4 messages/s); books follow Binance's snapshot + diff procedure.
 */
export function createBinance(settings: BinanceSettings = {}): VenueAdapter {
  const endpoints: BinanceEndpoints = resolveBinanceEndpoints(settings)
  const now = settings.clock ?? nowMs
  const restClients = new Map<Market, RestClient>()
  const onRaw = settings.onRaw
  function restOf(market: Market): RestClient {
    let client = restClients.get(market)
    if (client) return client
    client = createRestClient({
      baseUrl: market === 'spot' ? endpoints.restUrls.spot : endpoints.restUrls.linear,
      venue: 'binance',
      ...(settings.fetch === undefined ? {} : { fetch: settings.fetch }),
      ...(onRaw === undefined
        ? {}
        : {
            onRaw: (response) =>
              onRaw({
                kind: 'rest',
                venue: 'binance',
                market,
                url: response.url,
                status: response.status,
                data: response.data,
                receivedAt: response.receivedAt,
              }),
          }),
    })
    restClients.set(market, client)
    return client
  }
  const instruments = new BinanceInstrumentCache(restOf, settings.instrumentsTtlMs ?? 3_600_000)
  const clock = createClockSync({
    fetchServerTime: async () => {
      const response = await restOf('spot').get<{ serverTime?: unknown }>('/api/v3/time')
      const serverTime = response.value.serverTime
      if (typeof serverTime !== 'number')
        throw new ConfigError('Binance /api/v3/time answered without serverTime.', { venue: 'binance' })
      return serverTime
    },
    now,
  })

  const globalStream = new EventStream({ venue: 'binance' })
  const subscriptions = new Set<SubscriptionState>()
  const routes = new Map<string, Set<SubscriptionState>>()
  const topicRefs = new Map<string, number>()
  /** Pools per market; the last one takes new topics (earlier ones are handing over after serverShutdown). */
  const pools = new Map<Market, TopicPool[]>()
  /** `market|topic` → the pool the topic lives on. */
  const topicOwner = new Map<string, TopicPool>()
  /** Connections whose topics moved to a replacement: their frames and status are ignored. */
  const retiring = new WeakSet<PoolConnection>()
  const handingOver = new WeakSet<PoolConnection>()
  let userData: BinanceUserDataStream | null = null
  let userDataReady: Promise<void> | null = null
  let nextId = 0
  let closed = false

  const processor: BinanceFrameProcessor = createBinanceFrameProcessor({
    emit: route,
    restUrl: endpoints.restUrls.spot,
    futuresRestUrl: endpoints.restUrls.linear,
    ...(settings.fetch === undefined ? {} : { fetch: settings.fetch }),
    ...(settings.bookDepth === undefined ? {} : { bookDepth: settings.bookDepth }),
    ...(settings.snapshotLimit === undefined ? {} : { snapshotLimit: settings.snapshotLimit }),
    ...(settings.snapshotRetry === undefined ? {} : { snapshotRetry: settings.snapshotRetry }),
    ...(onRaw === undefined ? {} : { onRaw }),
    symbolOf: (venueSymbol, market) => instruments.peek(market)?.byVenue.get(venueSymbol)?.symbol,
  })

  function deliver(set: Set<SubscriptionState> | undefined, event: MarketEvent): void {
    if (!set) return
    for (const state of set) state.stream.push(event)
  }

  /** Routes one event to the global listeners and to the subscriptions it concerns. */
  function route(event: MarketEvent): void {
    globalStream.push(event)
    switch (event.kind) {
      case 'book': {
        const set = routes.get(routeKey(event.market, 'book', event.symbol))
        if (!set) return
        for (const state of set) {
          // Each subscription gets its own depth; slice only when it asked for fewer levels.
          if (event.bids.length <= state.depth && event.asks.length <= state.depth) state.stream.push(event)
          else
            state.stream.push({
              ...event,
              bids: event.bids.slice(0, state.depth),
              asks: event.asks.slice(0, state.depth),
            })
        }
        return
      }
      case 'candle':
        deliver(routes.get(routeKey(event.market, 'candle', event.symbol, event.interval)), event)
        return
      case 'ticker':
      case 'trade':
      case 'bbo':
        deliver(routes.get(routeKey(event.market, event.kind, event.symbol)), event)
        return
      case 'order':
        for (const state of subscriptions) {
          if (
            state.request.channel === 'orders' &&
            (state.symbols.size === 0 || state.symbols.has(event.symbol))
          )
            state.stream.push(event)
        }
        return
      case 'balance':
        for (const state of subscriptions) if (state.request.channel === 'balances') state.stream.push(event)
        return
      case 'gap':
        return
      default: {
        // status and error: about one symbol (book resync, snapshot failure) or the whole market.
        for (const state of subscriptions) {
          if (state.isPrivate || state.market !== event.market) continue
          if (event.symbol !== null && !state.symbols.has(event.symbol)) continue
          if (event.kind === 'status' && event.channel !== null && event.channel !== state.request.channel)
            continue
          state.stream.push(event)
        }
      }
    }
  }

  function connectionStatus(market: Market | null, change: SocketStatusChange, isPrivate: boolean): void {
    const event: MarketEvent = {
      kind: 'status',
      venue: 'binance',
      market,
      state: change.state,
      reason: change.reason,
      symbol: null,
      channel: null,
      url: change.url,
      attempt: change.attempt,
      receivedAt: nowMs(),
    }
    globalStream.push(event)
    for (const state of subscriptions) {
      if (state.isPrivate === isPrivate && (isPrivate || state.market === market)) state.stream.push(event)
    }
  }

  function errorEvent(
    market: Market | null,
    error: TickmeshError,
    symbol: string | null = null,
  ): MarketEvent {
    return {
      kind: 'error',
      venue: 'binance',
      market,
      symbol,
      code: error.code,
      message: error.shortMessage,
      hint: error.hint,
      raw: null,
      receivedAt: nowMs(),
    }
  }

  function currentPool(market: 'spot' | 'linear'): TopicPool {
    const list = pools.get(market)
    return list?.[list.length - 1] ?? createPool(market)
  }

  /** Closes a pool that is no longer current once no topic lives on it. */
  function retireIfEmpty(market: Market, pool: TopicPool): void {
    const list = pools.get(market)
    if (!list || list[list.length - 1] === pool) return
    for (const owner of topicOwner.values()) if (owner === pool) return
    list.splice(list.indexOf(pool), 1)
    void pool.close()
  }

  /**
   * `serverShutdown`: subscribe the connection's streams on a new connection first, then drop the old
   * one, so nothing is missed (books keep their sequence; duplicates in the overlap are skipped by the
   * book and trade id rules). If the replacement fails, the old connection reconnects instead.
   */
  function handOver(market: 'spot' | 'linear', pool: TopicPool, connection: PoolConnection): void {
    if (closed || handingOver.has(connection) || retiring.has(connection)) return
    const topics = [...connection.topics]
    if (topics.length === 0) return
    handingOver.add(connection)
    const next = createPool(market)
    for (const topic of topics) topicOwner.set(`${market}|${topic}`, next)
    next
      .add(topics)
      .then(
        () => {
          retiring.add(connection)
          const still = topics.filter((topic) => topicOwner.get(`${market}|${topic}`) === next)
          return pool.remove(still.length > 0 ? still : topics)
        },
        (error: unknown) => {
          for (const topic of topics) {
            if (topicOwner.get(`${market}|${topic}`) === next) topicOwner.set(`${market}|${topic}`, pool)
          }
          void next.remove(topics).catch(() => {})
          connection.reconnect('Binance announced serverShutdown; the replacement connection failed')
          route(errorEvent(market, error as TickmeshError))
        },
      )
      .catch((error: unknown) => route(errorEvent(market, error as TickmeshError)))
      .finally(() => {
        handingOver.delete(connection)
        retireIfEmpty(market, pool)
      })
  }

  function createPool(market: 'spot' | 'linear'): TopicPool {
    const created: TopicPool = createTopicPool({
      label: `binance-${market}`,
      urls: endpoints.streamUrls[market],
      maxTopicsPerConnection: Math.min(
        MAX_STREAMS_PER_CONNECTION,
        settings.maxStreamsPerConnection ?? MAX_STREAMS_PER_CONNECTION,
      ),
      maxTopicsPerRequest: MAX_STREAMS_PER_REQUEST,
      maxMessagesPerSecond: settings.maxMessagesPerSecond ?? 4,
      keepAlive: { serverSilenceMs: settings.serverSilenceMs ?? 60_000 },
      ...(settings.WebSocket === undefined ? {} : { WebSocket: settings.WebSocket }),
      ...(settings.openTimeoutMs === undefined ? {} : { openTimeoutMs: settings.openTimeoutMs }),
      ...(settings.reconnect === undefined ? {} : { backoff: settings.reconnect }),
      ...(settings.ackTimeoutMs === undefined ? {} : { ackTimeoutMs: settings.ackTimeoutMs }),
      buildSubscribe: (topics, requestId) =>
        `{"method":"SUBSCRIBE","params":${JSON.stringify(topics)},"id":${Number(requestId)}}`,
      buildUnsubscribe: (topics, requestId) =>
        `{"method":"UNSUBSCRIBE","params":${JSON.stringify(topics)},"id":${Number(requestId)}}`,
      parseControl: parseBinanceControl,
      onOpen: (connection, isReconnect) => {
        if (!isReconnect || retiring.has(connection)) return
        // The diffs missed while disconnected are gone: every book on this connection resyncs.
        for (const topic of connection.topics) {
          const at = topic.indexOf('@depth')
          if (at > 0)
            processor.resync(
              market,
              topic.slice(0, at).toUpperCase(),
              'Reconnected: the book resyncs from a new snapshot.',
            )
        }
      },
      onMessage: (text, receivedAt, connection) => {
        if (retiring.has(connection)) return
        onRaw?.({ kind: 'ws', venue: 'binance', market, url: connection.url, data: text, receivedAt })
        if (text.startsWith('{"stream":"')) {
          const end = text.indexOf('"', 11)
          if (end > 11 && text.charCodeAt(11) !== 33 /* ! */) created.touch(text.slice(11, end), receivedAt)
        }
        if (isBinanceServerShutdown(text)) {
          settings.logger?.info('Binance announced serverShutdown; moving to a new connection', {
            market,
            url: connection.url,
          })
          handOver(market, created, connection)
          return
        }
        processor.push(text, market, receivedAt)
      },
      onStatus: (change, connection) => {
        if (!retiring.has(connection)) connectionStatus(market, change, false)
      },
      onError: (error) => {
        settings.logger?.warn(error.shortMessage, { market, code: error.code })
        route(errorEvent(market, error))
      },
    })
    const list = pools.get(market)
    if (list) list.push(created)
    else pools.set(market, [created])
    return created
  }

  function topicsFor(request: SubscribeRequest, venueSymbol: string): string {
    const lower = venueSymbol.toLowerCase()
    switch (request.channel) {
      case 'ticker':
        return `${lower}@ticker`
      case 'trades':
        return `${lower}@aggTrade`
      case 'bbo':
        return `${lower}@bookTicker`
      case 'book':
        return `${lower}@depth@100ms`
      default:
        return `${lower}@kline_${request.interval ?? '1m'}`
    }
  }

  async function setupPublic(state: SubscriptionState): Promise<void> {
    const { request } = state
    const market = state.market
    if (!isSupportedMarket(market)) {
      throw new SubscriptionError(`Binance has no ${market} market in tickmesh.`, {
        venue: 'binance',
        hint: "Use market: 'spot' or 'linear' (USDⓈ-M perpetuals).",
      })
    }
    if (request.symbols.length === 0) {
      throw new SubscriptionError(`Subscribing to ${request.channel} needs at least one symbol.`, {
        venue: 'binance',
        hint: 'Pass symbols: ["BTC/USDT"].',
      })
    }
    if (request.channel === 'book' && (!Number.isInteger(state.depth) || state.depth < 1)) {
      throw new ConfigError(`Book depth must be a positive integer, got ${String(state.depth)}.`, {
        venue: 'binance',
        hint: 'Pass depth: 20 (levels per side), or leave it out for the default.',
        details: { depth: state.depth },
      })
    }
    for (const symbol of request.symbols) assertUnifiedSymbol(symbol, market, 'binance')
    const table = await instruments.load(market)
    const venueSymbols: string[] = []
    for (const symbol of request.symbols) {
      const instrument = table.byUnified.get(symbol)
      if (!instrument) {
        const suggestion = closestMatch(symbol, table.byUnified.keys())
        throw new SubscriptionError(`Binance has no ${market} instrument "${symbol}".`, {
          venue: 'binance',
          hint: suggestion
            ? `Did you mean "${suggestion}"?`
            : 'List the valid symbols with adapter.instruments(market).',
          details: { symbol, market, closest: suggestion },
        })
      }
      venueSymbols.push(instrument.venueSymbol)
    }
    if (!state.active) return
    const kind =
      request.channel === 'trades' ? 'trade' : request.channel === 'candles' ? 'candle' : request.channel
    const fresh: string[] = []
    for (let index = 0; index < venueSymbols.length; index++) {
      const venueSymbol = venueSymbols[index] as string
      const symbol = request.symbols[index] as string
      const key = routeKey(
        market,
        kind,
        symbol,
        request.channel === 'candles' ? (request.interval ?? '1m') : '',
      )
      let set = routes.get(key)
      if (!set) {
        set = new Set()
        routes.set(key, set)
      }
      set.add(state)
      state.routes.push(key)
      const topic = topicsFor(request, venueSymbol)
      state.topics.push(topic)
      const count = topicRefs.get(`${market}|${topic}`) ?? 0
      topicRefs.set(`${market}|${topic}`, count + 1)
      if (count === 0) fresh.push(topic)
      if (request.channel === 'book')
        processor.setBookDepth(market, venueSymbol, maxBookDepth(market, symbol))
    }
    if (fresh.length > 0) {
      const pool = currentPool(market)
      for (const topic of fresh) topicOwner.set(`${market}|${topic}`, pool)
      await pool.add(fresh)
    }
  }

  function maxBookDepth(market: Market, symbol: string): number {
    let depth = 0
    for (const state of routes.get(routeKey(market, 'book', symbol)) ?? [])
      depth = Math.max(depth, state.depth)
    return depth
  }

  async function setupPrivate(state: SubscriptionState): Promise<void> {
    const credentials = settings.credentials
    if (!credentials) {
      throw new ConfigError(`The ${state.request.channel} channel needs credentials.`, {
        venue: 'binance',
        hint: 'Pass credentials: createCredentials({ apiKey, secret }) (HMAC) or { apiKey, privateKeyPem } (Ed25519).',
      })
    }
    if (state.market !== 'spot') {
      throw new SubscriptionError('tickmesh streams Binance user data for the spot account only.', {
        venue: 'binance',
        hint: "Use market: 'spot' for orders and balances.",
      })
    }
    for (const symbol of state.request.symbols) assertUnifiedSymbol(symbol, 'spot', 'binance')
    if (userDataReady === null) {
      const stream = new BinanceUserDataStream({
        url: endpoints.wsApiUrl,
        credentials,
        clock,
        now,
        syncClock: settings.syncClock ?? true,
        recvWindow: settings.recvWindow ?? 5_000,
        serverSilenceMs: settings.serverSilenceMs ?? 60_000,
        ...(settings.WebSocket === undefined ? {} : { WebSocket: settings.WebSocket }),
        ...(settings.openTimeoutMs === undefined ? {} : { openTimeoutMs: settings.openTimeoutMs }),
        ...(settings.reconnect === undefined ? {} : { backoff: settings.reconnect }),
        onFrame: (text, receivedAt, url) => {
          onRaw?.({ kind: 'ws', venue: 'binance', market: 'spot', url, data: text, receivedAt })
          processor.push(text, 'spot', receivedAt)
        },
        onStatus: (change) => connectionStatus('spot', change, true),
        onError: (error) => {
          const event = errorEvent('spot', error)
          globalStream.push(event)
          for (const candidate of subscriptions) if (candidate.isPrivate) candidate.stream.push(event)
        },
      })
      userData = stream
      // Keeps the offset fresh for re-authentication after reconnects (shares the first measurement).
      if (settings.syncClock ?? true) clock.start()
      userDataReady = stream.start().catch(async (error: unknown) => {
        // The next private subscription starts over (e.g. after fixing the clock).
        userData = null
        userDataReady = null
        await stream.close()
        throw error
      })
    }
    await userDataReady
  }

  function release(state: SubscriptionState): Promise<void> {
    state.active = false
    subscriptions.delete(state)
    for (const key of state.routes) {
      const set = routes.get(key)
      set?.delete(state)
      if (set?.size === 0) routes.delete(key)
    }
    const gone = new Map<TopicPool, string[]>()
    for (const topic of state.topics) {
      const refKey = `${state.market}|${topic}`
      const count = (topicRefs.get(refKey) ?? 1) - 1
      if (count > 0) {
        topicRefs.set(refKey, count)
        continue
      }
      topicRefs.delete(refKey)
      const owner = topicOwner.get(refKey)
      topicOwner.delete(refKey)
      if (owner) {
        const list = gone.get(owner)
        if (list) list.push(topic)
        else gone.set(owner, [topic])
      }
      const at = topic.indexOf('@')
      const venueSymbol = topic.slice(0, at).toUpperCase()
      if (topic.endsWith('@depth@100ms')) processor.forget(state.market, venueSymbol)
      else if (topic.endsWith('@aggTrade')) processor.forgetTrades(state.market, venueSymbol)
    }
    state.routes = []
    state.topics = []
    state.stream.close()
    if (gone.size === 0 || closed) return Promise.resolve()
    const removals: Promise<void>[] = []
    for (const [pool, topics] of gone) {
      removals.push(
        pool
          .remove(topics)
          .catch((error: unknown) => route(errorEvent(state.market, error as TickmeshError)))
          .finally(() => retireIfEmpty(state.market, pool)),
      )
    }
    return Promise.all(removals).then(() => undefined)
  }

  return {
    venue: 'binance',
    subscribe(request: SubscribeRequest, handlers: SubscriptionHandlers = {}): Subscription {
      const market = request.market ?? 'spot'
      const isPrivate = request.channel === 'orders' || request.channel === 'balances'
      const state: SubscriptionState = {
        id: `binance-${++nextId}`,
        request: Object.freeze({ ...request, symbols: [...request.symbols] }),
        market,
        stream: new EventStream({
          venue: 'binance',
          ...(settings.highWaterMark === undefined ? {} : { highWaterMark: settings.highWaterMark }),
        }),
        routes: [],
        topics: [],
        symbols: new Set(request.symbols),
        depth: request.depth ?? settings.bookDepth ?? BINANCE_DEFAULT_BOOK_DEPTH,
        isPrivate,
        active: !closed,
      }
      const { onEvent, onStatus } = handlers
      if (onEvent || onStatus) {
        state.stream.on((event) => {
          onEvent?.(event)
          if (event.kind === 'status') onStatus?.(event)
        })
      }
      if (state.active) subscriptions.add(state)
      const setup = closed
        ? Promise.reject(
            new SubscriptionError('The Binance adapter is closed.', {
              venue: 'binance',
              hint: 'Create a new adapter.',
            }),
          )
        : isPrivate
          ? setupPrivate(state)
          : setupPublic(state)
      const ready = setup.catch(async (error: unknown) => {
        const tickmeshError = error as TickmeshError
        if (state.active) {
          state.stream.push(errorEvent(market, tickmeshError))
          await release(state)
        }
        handlers.onError?.(tickmeshError)
        throw error
      })
      // A caller that never awaits `ready` still sees the failure as an error event, not a crash.
      ready.catch(() => {})
      return {
        id: state.id,
        request: state.request,
        ready,
        unsubscribe: () => (state.active ? release(state) : Promise.resolve()),
        [Symbol.asyncIterator]: () => state.stream[Symbol.asyncIterator](),
      }
    },
    onEvent(listener: (event: MarketEvent) => void): () => void {
      return globalStream.on(listener)
    },
    async instruments(market: Market = 'spot'): Promise<readonly Instrument[]> {
      if (!isSupportedMarket(market)) return []
      return (await instruments.load(market)).list
    },
    async close(): Promise<void> {
      if (closed) return
      closed = true
      for (const state of [...subscriptions]) {
        state.active = false
        state.stream.close()
      }
      subscriptions.clear()
      routes.clear()
      topicRefs.clear()
      processor.close()
      clock.stop()
      const closing: Promise<void>[] = []
      for (const list of pools.values()) for (const pool of list) closing.push(pool.close())
      pools.clear()
      topicOwner.clear()
      if (userData) closing.push(userData.close())
      userData = null
      await Promise.allSettled(closing)
      globalStream.close()
    },
  }
}
