import {
  assertUnifiedSymbol,
  type ClockSync,
  ConfigError,
  closestMatch,
  createClockSync,
  createTopicPool,
  EventStream,
  type KeepAliveOptions,
  type Market,
  type MarketEvent,
  nowMs,
  type PoolConnection,
  type SocketStatusChange,
  type SubscribeRequest,
  type Subscription,
  SubscriptionError,
  type SubscriptionHandlers,
  safeParseJson,
  type TickmeshError,
  type TopicPool,
  type TopicPoolOptions,
  TradeContinuity,
  type TradeEvent,
  type TradeRange,
  type VenueAdapter,
} from '@tickmesh/core'
import { decodeOkx } from './decode/decode-okx'
import { okxArgOfTopic, okxTopic } from './decode/okx-control'
import {
  EVENT_KIND_OF_CHANNEL,
  type OkxPoolName,
  okxChannelOf,
  routeKey,
  routeKeyOfEvent,
  topicOfFrame,
} from './okx-channels'
import { OkxConnectionGate } from './okx-connection-gate'
import { createOkxFrameProcessor } from './okx-frame-processor'
import { type OkxInstrument, OkxInstrumentCache } from './okx-instruments'
import { parseOkxPoolControl, RESYNC_ID_PREFIX } from './okx-pool-control'
import { OkxPrivateStream } from './okx-private-stream'
import {
  assertSecureUrls,
  OKX_DEFAULT_BOOK_DEPTH,
  OKX_DEFAULT_REST_URL,
  OKX_PATHS,
  type OkxSettings,
  okxWsUrls,
} from './okx-settings'
import { OkxSubscription } from './okx-subscription'
import { okxMarketOf } from './okx-symbols'

/** An OKX adapter: the core `VenueAdapter` plus the frame processor's local books. */
export interface OkxAdapter extends VenueAdapter {
  readonly venue: 'okx'
}

/**
 * Creates an OKX V5 adapter: spot and USDT-margined SWAP market data (`ticker`, `trades`, `bbo`,
 * `book`, `candles`) and, with credentials, `orders` and `balances`. Defaults are the live endpoints;
 * `wsUrl`/`restUrl` are base URLs under which the venue's paths are appended.
 */
export function createOkx(settings: OkxSettings = {}): OkxAdapter {
  const restUrl = (settings.restUrl ?? OKX_DEFAULT_REST_URL).replace(/\/+$/, '')
  const publicUrls = okxWsUrls(settings.wsUrl, OKX_PATHS.public)
  const businessUrls = okxWsUrls(settings.wsUrl, OKX_PATHS.business)
  const privateUrls = okxWsUrls(settings.wsUrl, OKX_PATHS.private)
  assertSecureUrls([...publicUrls, restUrl], settings.allowInsecure ?? false)
  const now = settings.now ?? settings.clock ?? Date.now
  const highWaterMark = settings.highWaterMark ?? 10_000
  const ackTimeoutMs = settings.ackTimeoutMs ?? 10_000
  const onRaw = settings.onRaw
  const keepAlive: KeepAliveOptions = {
    intervalMs: settings.pingAfterIdleMs ?? 25_000,
    whenIdle: true,
    buildPing: () => 'ping',
    isPong: (text) => text === 'pong',
    pongTimeoutMs: settings.pongTimeoutMs ?? 10_000,
  }

  const all = new EventStream({ venue: 'okx', highWaterMark })
  const subscriptions = new Set<OkxSubscription>()
  const routes = new Map<string, Set<OkxSubscription>>()
  const topicRefs = new Map<string, number>()
  const topicPool = new Map<string, OkxPoolName>()
  /** The connection each topic's data last arrived on (book resyncs go there). */
  const topicConnection = new Map<string, PoolConnection>()
  const pools = new Map<OkxPoolName, TopicPool>()
  // Every connection (public, business, private) shares OKX's 3-per-second connection budget.
  const connectionGate = new OkxConnectionGate()
  let nextId = 0
  let closed = false

  const instruments = new OkxInstrumentCache({
    restUrl,
    ttlMs: settings.instrumentsTtlMs ?? 3_600_000,
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
    ...(onRaw ? { onRaw } : {}),
  })

  const clock: ClockSync = createClockSync({
    now,
    fetchServerTime: async () => {
      const response = await instruments.restClient.get<{ data?: { ts?: string }[] }>('/api/v5/public/time')
      const ts = Number(response.value.data?.[0]?.ts)
      if (!Number.isFinite(ts))
        throw new ConfigError('OKX /api/v5/public/time answered without a ts.', { venue: 'okx' })
      return ts
    },
  })

  function emit(event: MarketEvent): void {
    // Live trades go through the continuity, which fills reconnect holes from REST by trade id.
    if (event.kind === 'trade') tradeContinuity.push(event)
    else dispatch(event)
  }

  /**
   * OKX REST keeps the last 500 trades per instrument (`/api/v5/market/trades`, the same rows as the
   * WebSocket): a longer outage leaves a `gap` event for what it no longer has.
   */
  async function fetchTradesSince(range: TradeRange): Promise<TradeEvent[]> {
    const response = await instruments.restClient.get<{ data?: unknown }>('/api/v5/market/trades', {
      instId: range.venueSymbol,
      limit: 500,
    })
    const frame = JSON.stringify({
      arg: { channel: 'trades', instId: range.venueSymbol },
      data: Array.isArray(response.value.data) ? response.value.data : [],
    })
    const decoded = decodeOkx(frame, {
      market: range.market,
      receivedAt: nowMs(),
      contractValueOf: instruments.contractValueOf,
      symbolOf: (instId) => instruments.symbolOf(instId),
    })
    return decoded.filter((event): event is TradeEvent => event.kind === 'trade')
  }

  function dispatch(event: MarketEvent): void {
    all.push(event)
    const key = routeKeyOfEvent(event)
    if (key !== null) {
      const targets = routes.get(key)
      if (targets) for (const subscription of targets) subscription.deliver(event)
      return
    }
    // Status and errors: to the subscriptions of that symbol, or to every subscription.
    const symbol = event.kind === 'status' || event.kind === 'error' ? event.symbol : null
    for (const subscription of subscriptions) {
      if (symbol === null || subscription.symbols.has(symbol)) subscription.deliver(event)
    }
  }

  /** A connection's status goes to the subscriptions that use that connection group only. */
  function emitConnectionStatus(event: MarketEvent, uses: (subscription: OkxSubscription) => boolean): void {
    all.push(event)
    for (const subscription of subscriptions) if (uses(subscription)) subscription.deliver(event)
  }

  /**
   * OKX's `trades` channel aggregates the fills of one taker order: `tradeId` is the last fill's id
   * and `count` fills are inside, so ids step by `count`. Remembered per trade (bounded) so the
   * continuity sees no hole there and never fetches those fills again.
   */
  const tradeCounts = new Map<string, number>()
  function noteTradeCounts(text: string): void {
    const parsed = safeParseJson(text)
    if (!parsed.success || typeof parsed.value !== 'object' || parsed.value === null) return
    const data = (parsed.value as { data?: unknown }).data
    if (!Array.isArray(data)) return
    for (const item of data) {
      if (typeof item !== 'object' || item === null) continue
      const { instId, tradeId, count } = item as { instId?: unknown; tradeId?: unknown; count?: unknown }
      const fills = Number(count)
      if (
        typeof instId !== 'string' ||
        typeof tradeId !== 'string' ||
        !Number.isSafeInteger(fills) ||
        fills < 2
      )
        continue
      if (tradeCounts.size >= 10_000) tradeCounts.clear()
      tradeCounts.set(`${instId}|${tradeId}`, fills)
    }
  }

  const tradeContinuity = new TradeContinuity({
    venue: 'okx',
    emit: dispatch,
    fetchTradesSince,
    spanOf: (trade) => tradeCounts.get(`${trade.venueSymbol}|${trade.id}`) ?? 1,
  })

  const processor = createOkxFrameProcessor({
    emit,
    restUrl,
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
    ...(settings.bookDepth !== undefined ? { bookDepth: settings.bookDepth } : {}),
    contractValueOf: instruments.contractValueOf,
    symbolOf: (instId) => instruments.symbolOf(instId),
    onResync: (instId, channel, reason) => scheduleResync(okxTopic(channel, instId), reason),
  })

  /**
   * Resync = unsubscribe + subscribe that one arg on its connection: OKX answers with a fresh snapshot.
   * Each costs 2 of the 480 hourly ops, so repeated resyncs of one book back off (1 s, 2 s … 30 s).
   */
  const resyncs = new Map<
    string,
    { attempts: number; lastAt: number; timer: ReturnType<typeof setTimeout> | null }
  >()
  function scheduleResync(topic: string, reason: string): void {
    if (closed) return
    const at = nowMs()
    let state = resyncs.get(topic)
    if (!state) {
      state = { attempts: 0, lastAt: 0, timer: null }
      resyncs.set(topic, state)
    }
    if (state.timer !== null) return
    if (at - state.lastAt > 60_000) state.attempts = 0
    const delay = state.attempts === 0 ? 0 : Math.min(30_000, 1_000 * 2 ** (state.attempts - 1))
    state.attempts++
    settings.logger?.warn('okx book resync', { topic, reason, delayMs: delay, attempt: state.attempts })
    const entry = state
    entry.timer = setTimeout(() => {
      entry.timer = null
      entry.lastAt = nowMs()
      const connection = topicConnection.get(topic)
      if (!connection || !topicRefs.has(topic)) return
      const arg = okxArgOfTopic(topic)
      connection.send(
        JSON.stringify({ id: `${RESYNC_ID_PREFIX}u${++nextId}`, op: 'unsubscribe', args: [arg] }),
      )
      connection.send(JSON.stringify({ id: `${RESYNC_ID_PREFIX}s${++nextId}`, op: 'subscribe', args: [arg] }))
    }, delay)
  }

  function statusEvent(change: SocketStatusChange): MarketEvent {
    return {
      kind: 'status',
      venue: 'okx',
      market: null,
      state: change.state,
      reason:
        change.closeCode === undefined ? change.reason : `${change.reason} (close code ${change.closeCode})`,
      symbol: null,
      channel: null,
      url: change.url,
      attempt: change.attempt,
      receivedAt: nowMs(),
    }
  }

  function booksOn(connection: PoolConnection): string[] {
    const instIds: string[] = []
    for (const topic of connection.topics) {
      const arg = okxArgOfTopic(topic)
      if (arg.channel === 'books') instIds.push(arg.instId)
    }
    return instIds
  }

  function poolOf(name: OkxPoolName): TopicPool {
    const existing = pools.get(name)
    if (existing) return existing
    const options: TopicPoolOptions = {
      label: `okx-${name}`,
      urls: name === 'business' ? businessUrls : publicUrls,
      maxTopicsPerConnection:
        name === 'books'
          ? (settings.maxBookChannelsPerConnection ?? 30)
          : (settings.maxChannelsPerConnection ?? 240),
      maxTopicsPerRequest: settings.maxArgsPerRequest ?? 100,
      ackTimeoutMs,
      keepAlive,
      // Silence on one topic is only suspicious well past its normal gaps: OKX sends book heartbeats
      // every ~60 s, but trades/tickers of a quiet instrument may pause for minutes (the ping
      // keepalive already catches dead connections).
      idle: { minMs: 5_000, maxMs: name === 'books' ? 150_000 : 600_000, multiplier: 8 },
      WebSocket: connectionGate.wrap(settings.WebSocket),
      ...(settings.openTimeoutMs ? { openTimeoutMs: settings.openTimeoutMs } : {}),
      backoff: connectionGate.backoff(settings.reconnect),
      buildSubscribe: (topics, requestId) =>
        JSON.stringify({ id: requestId, op: 'subscribe', args: topics.map(okxArgOfTopic) }),
      buildUnsubscribe: (topics, requestId) =>
        JSON.stringify({ id: requestId, op: 'unsubscribe', args: topics.map(okxArgOfTopic) }),
      parseControl: parseOkxPoolControl,
      onMessage: (text, receivedAt, connection) => {
        if (onRaw) {
          try {
            onRaw({ kind: 'ws', venue: 'okx', market: 'spot', url: connection.url, data: text, receivedAt })
          } catch {
            // A recorder failure must not stop the stream.
          }
        }
        if (text.startsWith('{"arg"')) {
          const topic = topicOfFrame(text)
          if (topic !== null) {
            topicConnection.set(topic, connection)
            pools.get(name)?.touch(topic, receivedAt)
            if (topic.startsWith('trades:') && text.includes('"count"')) noteTradeCounts(text)
          }
        } else if (text.includes('"event":"notice"')) {
          // 64008: the venue is about to restart this connection; reconnect now, on our terms.
          connection.reconnect('OKX notice 64008: service upgrade')
          if (name === 'books')
            processor.resetBooks(booksOn(connection), 'planned reconnect (OKX notice 64008)')
          return
        }
        processor.push(text, 'spot', receivedAt)
      },
      onStatus: (change, connection) => {
        if (change.state === 'reconnecting' && name === 'books') {
          processor.resetBooks(
            booksOn(connection),
            `connection lost (${change.reason}); resyncing after reconnect`,
          )
        }
        emitConnectionStatus(statusEvent(change), (subscription) =>
          subscription.topics.some((topic) => topicPool.get(topic) === name),
        )
      },
      onError: (error) => emitError(error),
    }
    const pool = createTopicPool(options)
    pools.set(name, pool)
    return pool
  }

  function emitError(error: TickmeshError): void {
    settings.logger?.warn(error.shortMessage, { code: error.code })
    emit({
      kind: 'error',
      venue: 'okx',
      market: null,
      symbol: null,
      code: error.code,
      message: error.shortMessage,
      hint: error.hint,
      raw: null,
      receivedAt: nowMs(),
    })
  }

  let privateStream: OkxPrivateStream | null = null
  function privateOf(): OkxPrivateStream {
    if (privateStream) return privateStream
    privateStream = new OkxPrivateStream({
      urls: privateUrls,
      credentials: settings.credentials,
      clock,
      now,
      useServerTime: settings.useServerTime ?? settings.syncClock ?? true,
      keepAlive,
      ackTimeoutMs,
      WebSocket: connectionGate.wrap(settings.WebSocket),
      ...(settings.openTimeoutMs ? { openTimeoutMs: settings.openTimeoutMs } : {}),
      backoff: connectionGate.backoff(settings.reconnect),
      onData: (text, receivedAt, url) => {
        // Login frames never reach here (they are controls), so recordings hold no auth traffic.
        if (onRaw) {
          try {
            onRaw({ kind: 'ws', venue: 'okx', market: 'spot', url, data: text, receivedAt })
          } catch {
            // A recorder failure must not stop the stream.
          }
        }
        processor.push(text, 'spot', receivedAt)
      },
      onStatus: (change) =>
        emitConnectionStatus(statusEvent(change), (subscription) => {
          const channel = subscription.request.channel
          return channel === 'orders' || channel === 'balances'
        }),
      onError: emitError,
      onAuthFailed: () => {
        privateStream = null
      },
    })
    return privateStream
  }

  async function resolveInstIds(request: SubscribeRequest, market: Market): Promise<OkxInstrument[]> {
    for (const symbol of request.symbols) assertUnifiedSymbol(symbol, market, 'okx')
    const list = await instruments.list(market)
    const bySymbol = new Map(list.map((instrument) => [instrument.symbol, instrument]))
    const resolved: OkxInstrument[] = []
    for (const symbol of request.symbols) {
      const instrument = bySymbol.get(symbol)
      if (!instrument) {
        const closest = closestMatch(symbol, bySymbol.keys())
        throw new SubscriptionError(`OKX has no ${market} instrument "${symbol}".`, {
          venue: 'okx',
          hint: closest
            ? `Did you mean "${closest}"?`
            : `See adapter.instruments('${market}') for the ${list.length} symbols OKX lists.`,
          details: { symbol, market, closest },
        })
      }
      resolved.push(instrument)
    }
    return resolved
  }

  function addRoutes(subscription: OkxSubscription): void {
    for (const key of subscription.routeKeys) {
      let set = routes.get(key)
      if (!set) {
        set = new Set()
        routes.set(key, set)
      }
      set.add(subscription)
    }
  }

  function removeRoutes(subscription: OkxSubscription): void {
    for (const key of subscription.routeKeys) {
      const set = routes.get(key)
      set?.delete(subscription)
      if (set?.size === 0) routes.delete(key)
    }
  }

  /** Topics whose last subscriber left; the caller unsubscribes them. */
  function releaseTopics(topics: readonly string[]): string[] {
    const released: string[] = []
    for (const topic of topics) {
      const count = (topicRefs.get(topic) ?? 0) - 1
      if (count > 0) topicRefs.set(topic, count)
      else {
        topicRefs.delete(topic)
        released.push(topic)
        // A later subscription starts afresh instead of backfilling the time nobody listened.
        const arg = okxArgOfTopic(topic)
        if (arg.channel === 'trades') tradeContinuity.forget(okxMarketOf(arg.instId) ?? 'spot', arg.instId)
      }
    }
    return released
  }

  async function start(subscription: OkxSubscription): Promise<void> {
    const request = subscription.request
    const market = request.market ?? 'spot'
    if (request.channel === 'orders' || request.channel === 'balances') {
      const channel = request.channel === 'orders' ? 'orders' : 'account'
      subscription.routeKeys = [request.channel === 'orders' ? 'order|*' : 'balance|*']
      addRoutes(subscription)
      await privateOf().add(channel, channel === 'orders' ? { channel, instType: 'ANY' } : { channel })
      return
    }
    const venueChannel = okxChannelOf(request)
    if (venueChannel === null) {
      throw new ConfigError(`Unknown channel "${String(request.channel)}".`, { venue: 'okx' })
    }
    if (request.depth !== undefined && !(Number.isInteger(request.depth) && request.depth > 0)) {
      throw new ConfigError(`Book depth must be a positive integer, got ${request.depth}.`, { venue: 'okx' })
    }
    if (request.symbols.length === 0) {
      throw new SubscriptionError(`A ${request.channel} subscription needs at least one symbol.`, {
        venue: 'okx',
        hint: "Pass symbols: ['BTC/USDT'] (or 'BTC/USDT:USDT' with market: 'linear').",
      })
    }
    const resolved = await resolveInstIds(request, market)
    const kind =
      request.channel === 'candles'
        ? `candle:${request.interval ?? '1m'}`
        : EVENT_KIND_OF_CHANNEL[request.channel]
    subscription.routeKeys = resolved.map((instrument) => routeKey(kind, instrument.venueSymbol))
    subscription.topics = resolved.map((instrument) => okxTopic(venueChannel.channel, instrument.venueSymbol))
    if (subscription.isClosed || closed) return
    // Route first: the snapshot may arrive right after the ack.
    addRoutes(subscription)
    const fresh: string[] = []
    for (const topic of subscription.topics) {
      const count = topicRefs.get(topic) ?? 0
      topicRefs.set(topic, count + 1)
      topicPool.set(topic, venueChannel.pool)
      if (count === 0) fresh.push(topic)
    }
    try {
      await poolOf(venueChannel.pool).add(subscription.topics)
    } catch (error) {
      removeRoutes(subscription)
      for (const topic of releaseTopics(subscription.topics)) {
        topicPool.delete(topic)
        topicConnection.delete(topic)
      }
      throw error
    }
  }

  async function stop(subscription: OkxSubscription): Promise<void> {
    subscriptions.delete(subscription)
    removeRoutes(subscription)
    const request = subscription.request
    if (request.channel === 'orders' || request.channel === 'balances') {
      const key = request.channel === 'orders' ? 'order|*' : 'balance|*'
      if (!routes.has(key) && privateStream?.remove(request.channel === 'orders' ? 'orders' : 'account')) {
        const stream = privateStream
        privateStream = null
        await stream.close()
      }
      return
    }
    const released = releaseTopics(subscription.topics)
    const byPool = new Map<OkxPoolName, string[]>()
    for (const topic of released) {
      const name = topicPool.get(topic)
      topicPool.delete(topic)
      topicConnection.delete(topic)
      const arg = okxArgOfTopic(topic)
      if (arg.channel === 'books') processor.forgetBook(arg.instId)
      if (!name) continue
      const list = byPool.get(name) ?? []
      list.push(topic)
      byPool.set(name, list)
    }
    await Promise.all([...byPool].map(([name, topics]) => pools.get(name)?.remove(topics)))
  }

  return {
    venue: 'okx',

    subscribe(request: SubscribeRequest, handlers: SubscriptionHandlers = {}): Subscription {
      const subscription = new OkxSubscription(
        `okx-${++nextId}`,
        request,
        handlers,
        highWaterMark,
        stop,
        settings.bookDepth ?? OKX_DEFAULT_BOOK_DEPTH,
      )
      if (closed) {
        subscription.fail(
          new SubscriptionError('The OKX adapter is closed.', {
            venue: 'okx',
            hint: 'Create a new adapter.',
          }),
        )
        return subscription
      }
      subscriptions.add(subscription)
      start(subscription).then(
        () => subscription.resolveReady(),
        (error: unknown) => {
          subscriptions.delete(subscription)
          removeRoutes(subscription)
          subscription.fail(
            error instanceof Error && 'code' in error
              ? (error as TickmeshError)
              : new SubscriptionError(`OKX subscription failed: ${String(error)}`, {
                  venue: 'okx',
                  cause: error,
                }),
          )
        },
      )
      return subscription
    },

    onEvent(listener) {
      return all.on(listener)
    },

    async instruments(market: Market = 'spot') {
      return instruments.list(market)
    },

    async close() {
      if (closed) return
      closed = true
      clock.stop()
      tradeContinuity.close()
      for (const state of resyncs.values()) if (state.timer !== null) clearTimeout(state.timer)
      resyncs.clear()
      for (const subscription of subscriptions) subscription.end()
      subscriptions.clear()
      routes.clear()
      await Promise.all([...pools.values()].map((pool) => pool.close()))
      pools.clear()
      await privateStream?.close()
      privateStream = null
      all.close()
    },
  }
}
