import type {
  BookEvent,
  Channel,
  ClockSync,
  Instrument,
  Market,
  MarketEvent,
  PoolConnection,
  SocketStatusChange,
  StatusEvent,
  SubscribeRequest,
  Subscription,
  SubscriptionHandlers,
  TopicPool,
  TopicPoolOptions,
  VenueAdapter,
} from '@tickmesh/core'
import {
  AuthenticationError,
  assertUnifiedSymbol,
  ConfigError,
  createClockSync,
  createRestClient,
  createTopicPool,
  DecodeError,
  EventStream,
  isSensitiveFrame,
  nowMs,
  revealSecret,
  SequenceGapError,
  SubscriptionError,
  TickmeshError,
} from '@tickmesh/core'
import { buildBybitAuth } from './bybit-auth'
import { isBybitPong, parseBybitControl, parseBybitReply } from './bybit-control'
import type { BybitFrameProcessor } from './bybit-frame-processor'
import { createBybitFrameProcessor } from './bybit-frame-processor'
import { BybitInstruments } from './bybit-instruments'
import type { BybitSettings } from './bybit-settings'
import {
  BYBIT_DEFAULT_BOOK_DEPTH,
  BYBIT_REST_URL,
  BYBIT_WS_URL,
  checkBaseUrl,
  positiveSetting,
} from './bybit-settings'
import { BYBIT_INTERVALS } from './bybit-symbols'

type PoolKey = 'spot' | 'linear' | 'private'

const PATHS: Record<PoolKey, string> = {
  spot: '/v5/public/spot',
  linear: '/v5/public/linear',
  private: '/v5/private',
}

const KIND_CHANNEL: Record<string, Channel> = {
  ticker: 'ticker',
  trade: 'trades',
  bbo: 'bbo',
  book: 'book',
  candle: 'candles',
  order: 'orders',
  balance: 'balances',
}

/** Bybit book topics: the smallest of 50/200/1000 that holds the requested depth. */
function bookTopicDepth(depth: number): number {
  if (depth <= 50) return 50
  if (depth <= 200) return 200
  return 1000
}

interface SubState {
  readonly id: string
  readonly request: Readonly<SubscribeRequest>
  readonly channel: Channel
  readonly market: Market
  readonly poolKey: PoolKey
  readonly stream: EventStream
  readonly handlers: SubscriptionHandlers | undefined
  /** Unified symbols routed to this subscription (empty for balances / all orders). */
  readonly symbols: Set<string>
  topics: string[]
  /** Book: depth emitted, and the depth of the topic it listens to. */
  depth: number
  topicDepth: number
  interval: string | null
  closed: boolean
}

/**
 * The Bybit V5 adapter: spot and USDT linear perpetual market data (ticker, trades, bbo, book,
 * candles) and the private order/wallet stream, over one topic pool per endpoint.
 */
export function createBybit(settings: BybitSettings = {}): VenueAdapter {
  const allowInsecure = settings.allowInsecure === true
  const wsBases = (Array.isArray(settings.wsUrl) ? settings.wsUrl : [settings.wsUrl ?? BYBIT_WS_URL]).map(
    (url) => checkBaseUrl(url, 'wss:', allowInsecure),
  )
  if (wsBases.length === 0) throw new ConfigError('Bybit wsUrl is an empty list.', { venue: 'bybit' })
  const restBase = checkBaseUrl(settings.restUrl ?? BYBIT_REST_URL, 'https:', allowInsecure)
  const pingIntervalMs = positiveSetting('pingIntervalMs', settings.pingIntervalMs, 20_000)
  const pongTimeoutMs = positiveSetting('pongTimeoutMs', settings.pongTimeoutMs, 10_000)
  const ackTimeoutMs = positiveSetting('ackTimeoutMs', settings.ackTimeoutMs, 10_000)
  const authExpiresInMs = positiveSetting('authExpiresInMs', settings.authExpiresInMs, 10_000)
  const localNow = settings.now ?? settings.clock ?? nowMs
  // `syncClock` is the name the other venues use; Bybit keeps its stricter default (false).
  const syncClock = settings.adjustForClockDrift ?? settings.syncClock ?? false
  const onRaw = settings.onRaw

  if (
    settings.restRetries !== undefined &&
    !(Number.isInteger(settings.restRetries) && settings.restRetries >= 0)
  ) {
    throw new ConfigError(
      `Bybit setting restRetries must be a whole number ≥ 0, got ${String(settings.restRetries)}.`,
      {
        venue: 'bybit',
      },
    )
  }
  const rest = createRestClient({
    baseUrl: restBase,
    venue: 'bybit',
    ...(settings.restRetries === undefined ? {} : { retries: settings.restRetries }),
    ...(settings.fetch === undefined ? {} : { fetch: settings.fetch }),
    ...(onRaw === undefined
      ? {}
      : {
          onRaw: (response) => {
            const category = /[?&]category=(spot|linear)/.exec(response.url)?.[1] as Market | undefined
            onRaw({
              kind: 'rest',
              venue: 'bybit',
              market: category ?? 'spot',
              url: response.url,
              status: response.status,
              data: response.data,
              receivedAt: response.receivedAt,
            })
          },
        }),
  })
  const instruments = new BybitInstruments(rest)
  const everything = new EventStream({ venue: 'bybit' })
  const pools = new Map<PoolKey, TopicPool>()
  const topicRefs = new Map<string, number>()
  const subs = new Set<SubState>()
  /** `${market}|${symbol}` → subscriptions with that symbol. */
  const bySymbol = new Map<string, Set<SubState>>()
  let nextId = 1
  let closed = false
  const resyncTimers = new Map<string, ReturnType<typeof setTimeout>>()
  let clock: ClockSync | null = null
  let clockReady: Promise<void> | null = null
  let authFailure: Promise<AuthenticationError> | null = null

  const processor: BybitFrameProcessor = createBybitFrameProcessor({
    emit: route,
    emitBook: routeBook,
    symbolOf: (venueSymbol, market) => instruments.symbolOf(venueSymbol, market),
    onResync: resync,
  })

  // Private frames get their own processor so their decode errors reach only private subscriptions.
  const privateProcessor: BybitFrameProcessor = createBybitFrameProcessor({
    emit: (event) => {
      if (event.kind !== 'error' && event.kind !== 'status') {
        route(event)
        return
      }
      everything.push(event)
      for (const sub of subs) {
        if (sub.poolKey !== 'private') continue
        if (event.kind === 'error')
          deliverError(sub, errorOf(event.code, event.message, event.hint), event.raw)
        else deliver(sub, event)
      }
    },
    symbolOf: (venueSymbol, market) => instruments.symbolOf(venueSymbol, market),
  })

  // ---- routing

  function deliver(sub: SubState, event: MarketEvent): void {
    if (sub.closed) return
    sub.stream.push(event)
    if (event.kind === 'status' && sub.handlers?.onStatus) {
      try {
        sub.handlers.onStatus(event)
      } catch {
        // User callbacks never break the receive loop.
      }
    }
  }

  function deliverError(sub: SubState, error: TickmeshError, raw: string | null = null): void {
    if (sub.closed) return
    sub.stream.push({
      kind: 'error',
      venue: 'bybit',
      market: sub.market,
      symbol: sub.symbols.size === 1 ? ([...sub.symbols][0] as string) : null,
      code: error.code,
      message: error.shortMessage,
      hint: error.hint,
      raw,
      receivedAt: nowMs(),
    })
    if (sub.handlers?.onError) {
      try {
        sub.handlers.onError(error)
      } catch {
        // As above.
      }
    }
  }

  function route(event: MarketEvent): void {
    everything.push(event)
    switch (event.kind) {
      case 'status':
      case 'error': {
        if (event.symbol !== null && event.market !== null) {
          const set = bySymbol.get(`${event.market}|${event.symbol}`)
          if (set === undefined) return
          for (const sub of set) {
            if (event.kind === 'status' && event.channel !== null && event.channel !== sub.channel) continue
            // A sequence gap concerns that symbol's book subscriptions only.
            if (event.kind === 'error' && event.code === 'SEQUENCE_GAP' && sub.channel !== 'book') continue
            if (event.kind === 'error')
              deliverError(sub, errorOf(event.code, event.message, event.hint), event.raw)
            else deliver(sub, event)
          }
          return
        }
        for (const sub of subs) {
          if (sub.poolKey === 'private' || (event.market !== null && sub.market !== event.market)) continue
          if (event.kind === 'error')
            deliverError(sub, errorOf(event.code, event.message, event.hint), event.raw)
          else deliver(sub, event)
        }
        return
      }
      case 'balance':
        for (const sub of subs) if (sub.channel === 'balances') deliver(sub, event)
        return
      case 'order':
        for (const sub of subs) {
          if (sub.channel === 'orders' && (sub.symbols.size === 0 || sub.symbols.has(event.symbol)))
            deliver(sub, event)
        }
        return
      case 'gap':
        return
      default: {
        const set = bySymbol.get(`${event.market}|${event.symbol}`)
        if (set === undefined) return
        const channel = KIND_CHANNEL[event.kind]
        for (const sub of set) {
          if (sub.channel !== channel) continue
          if (event.kind === 'candle' && sub.interval !== event.interval) continue
          deliver(sub, event)
        }
      }
    }
  }

  function routeBook(event: BookEvent, topicDepth: number): void {
    snapshotArrived(event, topicDepth)
    everything.push(event)
    const set = bySymbol.get(`${event.market}|${event.symbol}`)
    if (set === undefined) return
    for (const sub of set) {
      if (sub.channel !== 'book' || sub.topicDepth !== topicDepth) continue
      if (event.bids.length <= sub.depth && event.asks.length <= sub.depth) deliver(sub, event)
      else {
        deliver(sub, {
          kind: 'book',
          venue: 'bybit',
          market: event.market,
          symbol: event.symbol,
          venueSymbol: event.venueSymbol,
          exchangeTime: event.exchangeTime,
          receivedAt: event.receivedAt,
          bids: event.bids.slice(0, sub.depth),
          asks: event.asks.slice(0, sub.depth),
          sequence: event.sequence,
          isSnapshot: event.isSnapshot,
        })
      }
    }
  }

  function errorOf(code: string, message: string, hint: string | null): TickmeshError {
    const options = { venue: 'bybit' as const, hint }
    if (code === 'SEQUENCE_GAP') return new SequenceGapError(message, options)
    if (code === 'DECODE_ERROR') return new DecodeError(message, options)
    if (code === 'SUBSCRIPTION_ERROR') return new SubscriptionError(message, options)
    if (code === 'AUTHENTICATION_ERROR') return new AuthenticationError(message, options)
    return new TickmeshError(message, options)
  }

  function connectionStatus(market: Market | null, change: SocketStatusChange): StatusEvent {
    return {
      kind: 'status',
      venue: 'bybit',
      market,
      state: change.state,
      reason: change.reason,
      symbol: null,
      channel: null,
      url: change.url,
      attempt: change.attempt,
      receivedAt: nowMs(),
    }
  }

  // ---- connections

  function topicOf(text: string): string | null {
    const start = text.indexOf('"topic":"')
    if (start === -1) return null
    const end = text.indexOf('"', start + 9)
    return end === -1 ? null : text.slice(start + 9, end)
  }

  function poolFor(key: PoolKey): TopicPool {
    const existing = pools.get(key)
    if (existing !== undefined) return existing
    const market: Market | null = key === 'private' ? null : key
    const options: TopicPoolOptions = {
      label: `bybit-${key}`,
      urls: wsBases.map((base) => `${base}${PATHS[key]}`),
      maxTopicsPerConnection: 500,
      // Spot refuses more than 10 args per request; linear takes more, but 10 keeps requests small.
      maxTopicsPerRequest: 10,
      maxTopicCharsPerConnection: 21_000,
      ackTimeoutMs,
      buildSubscribe: (topics, requestId) =>
        JSON.stringify({ req_id: requestId, op: 'subscribe', args: topics }),
      buildUnsubscribe: (topics, requestId) =>
        JSON.stringify({ req_id: requestId, op: 'unsubscribe', args: topics }),
      parseControl: parseBybitControl,
      keepAlive: {
        intervalMs: pingIntervalMs,
        buildPing: () => '{"op":"ping"}',
        isPong: isBybitPong,
        pongTimeoutMs,
      },
      // Quiet symbols can go minutes without a trade: only long silences count as a stall.
      idle:
        key === 'private'
          ? { minMs: 86_400_000, maxMs: 86_400_000 }
          : { minMs: 10_000, maxMs: 300_000, ...settings.idle },
      onMessage: (text, receivedAt, connection) => onFrame(key, text, receivedAt, connection),
      onStatus: (change, connection) => {
        if (change.state !== 'open' && change.state !== 'connecting' && market !== null) {
          // No update of this connection is trusted until its books get fresh snapshots.
          processor.resetTopics(market, connection.topics)
        }
        const event = connectionStatus(market, change)
        everything.push(event)
        // A pool closes an emptied connection on purpose; that is not news for the subscriptions.
        if (change.state === 'closed') return
        for (const sub of subs) if (sub.poolKey === key) deliver(sub, event)
      },
      onError: (error) => {
        for (const sub of subs) if (sub.poolKey === key) deliverError(sub, error)
        everything.push({
          kind: 'error',
          venue: 'bybit',
          market,
          symbol: null,
          code: error.code,
          message: error.shortMessage,
          hint: error.hint,
          raw: null,
          receivedAt: nowMs(),
        })
      },
    }
    if (settings.WebSocket !== undefined) options.WebSocket = settings.WebSocket
    if (settings.openTimeoutMs !== undefined) options.openTimeoutMs = settings.openTimeoutMs
    if (settings.reconnect !== undefined) options.backoff = settings.reconnect
    if (key === 'private') options.onOpen = (connection) => sendAuth(connection)
    const pool = createTopicPool(options)
    pools.set(key, pool)
    return pool
  }

  function onFrame(key: PoolKey, text: string, receivedAt: number, connection: PoolConnection): void {
    const market: Market = key === 'private' ? 'spot' : key
    if (key === 'private') {
      const reply = text.length < 1000 ? parseBybitReply(text) : null
      if (reply !== null && reply.op === 'auth') {
        if (!reply.success) onAuthRefused(reply.retMsg)
        return
      }
    }
    const topic = topicOf(text)
    if (topic !== null) pools.get(key)?.touch(topic, receivedAt)
    if (onRaw !== undefined && !isSensitiveFrame(text)) {
      try {
        onRaw({ kind: 'ws', venue: 'bybit', market, url: connection.url, data: text, receivedAt })
      } catch {
        // A recorder must not break the stream.
      }
    }
    if (key === 'private') privateProcessor.push(text, market, receivedAt)
    else processor.push(text, market, receivedAt)
  }

  function resync(market: Market, topic: string): void {
    const key: PoolKey = market === 'linear' ? 'linear' : 'spot'
    const pool = pools.get(key)
    if (pool === undefined || !pool.has(topic)) return
    // Unsubscribe + subscribe of that one topic: Bybit answers with a fresh snapshot.
    watchResync(market, topic, 0)
    pool
      .remove([topic])
      .catch(() => undefined)
      .then(() => {
        if (closed || (topicRefs.get(`${key}|${topic}`) ?? 0) === 0) return undefined
        return pool.add([topic])
      })
      .catch((error: unknown) => {
        const failure =
          error instanceof TickmeshError
            ? error
            : new SubscriptionError(`Resubscribing ${topic} failed.`, { venue: 'bybit', cause: error })
        for (const sub of subs)
          if (sub.topics.includes(topic) && sub.poolKey === key) deliverError(sub, failure)
      })
  }

  // A resubscribe can fail silently (a refused unsubscribe leaves the topic subscribed at the venue,
  // so the subscribe is refused and no snapshot comes): if no snapshot arrives within the ack
  // timeout, fresh connections replay every topic with a snapshot. Without this the book would stay
  // resyncing for good.
  function watchResync(market: Market, topic: string, attempt: number): void {
    const key = `${market}|${topic}`
    const previous = resyncTimers.get(key)
    if (previous !== undefined) clearTimeout(previous)
    const timer = setTimeout(
      () => {
        resyncTimers.delete(key)
        const poolKey: PoolKey = market === 'linear' ? 'linear' : 'spot'
        const pool = pools.get(poolKey)
        if (closed || pool === undefined || (topicRefs.get(`${poolKey}|${topic}`) ?? 0) === 0) return
        if (!pool.has(topic)) pool.add([topic]).catch(() => undefined)
        for (const connection of pool.connections) {
          connection.reconnect(`no snapshot for ${topic} after a resubscribe; reconnecting to resync`)
        }
        watchResync(market, topic, attempt + 1)
      },
      Math.min(60_000, ackTimeoutMs * 2 ** Math.min(attempt, 6)),
    )
    resyncTimers.set(key, timer)
  }

  function snapshotArrived(event: BookEvent, topicDepth: number): void {
    if (resyncTimers.size === 0 || !event.isSnapshot) return
    const key = `${event.market}|orderbook.${topicDepth}.${event.venueSymbol}`
    const timer = resyncTimers.get(key)
    if (timer === undefined) return
    clearTimeout(timer)
    resyncTimers.delete(key)
  }

  // ---- private stream

  function ensureClock(): Promise<void> {
    if (clock === null) {
      clock = createClockSync({
        now: localNow,
        fetchServerTime: async () => {
          const response = await rest.get<{
            result?: { timeNano?: string; timeSecond?: string }
            time?: number
          }>('/v5/market/time')
          const nano = response.value.result?.timeNano
          if (typeof nano === 'string' && nano.length > 6)
            return Number(nano.slice(0, -6)) + Number(nano.slice(-6)) / 1e6
          const seconds = Number(response.value.result?.timeSecond)
          return Number.isFinite(seconds) ? seconds * 1000 : Number(response.value.time)
        },
      })
    }
    if (clockReady === null) {
      const sync = clock
      clockReady = sync.sync().then(
        () => {
          // Signing with Bybit's time: keep the offset fresh (the timer does not hold the process open).
          if (syncClock) sync.start()
        },
        (error: unknown) => {
          clockReady = null
          throw error
        },
      )
    }
    return clockReady
  }

  function sendAuth(connection: PoolConnection): void {
    const credentials = settings.credentials
    if (credentials === undefined) return
    const secret = revealSecret(credentials).secret ?? ''
    const base = syncClock && clock !== null ? clock.serverNow() : localNow()
    authFailure = null
    connection.send(buildBybitAuth(credentials.apiKey, secret, Math.round(base + authExpiresInMs)))
  }

  function onAuthRefused(retMsg: string): void {
    const measured = clock
    authFailure = (async () => {
      let driftMs: number | null = null
      let serverTime: number | null = null
      const localTime = localNow()
      if (measured !== null) {
        try {
          await measured.sync()
          driftMs = Math.round(-measured.offsetMs)
          serverTime = Math.round(localTime + measured.offsetMs)
        } catch {
          // The drift stays unknown; the venue's words still say what failed.
        }
      }
      // What was left of the signature's validity on Bybit's clock when it arrived (drift = local - server).
      const signedAhead = syncClock ? authExpiresInMs : authExpiresInMs + (driftMs ?? 0)
      const drift = { clockDriftMs: driftMs, localTime, serverTime, venue: 'bybit' as const }
      if (retMsg === 'Params Error' && driftMs !== null && signedAhead < 1_000) {
        const direction = driftMs < 0 ? 'behind' : 'ahead of'
        return new AuthenticationError(
          `Bybit refused the login: the local clock is ${Math.abs(driftMs)} ms ${direction} Bybit's, so the signature had expired.`,
          {
            ...drift,
            details: { venueMessage: retMsg, expiresInMs: authExpiresInMs },
            hint: 'Sync the system clock (NTP), or set adjustForClockDrift: true to sign with Bybit’s time.',
          },
        )
      }
      return new AuthenticationError(`Bybit refused the API key or signature ("${retMsg}").`, {
        ...drift,
        details: { venueMessage: retMsg },
        hint:
          driftMs === null
            ? 'Check the API key and secret (mainnet keys differ from testnet keys) and the local clock.'
            : `Check the API key and secret (mainnet keys differ from testnet keys); the clock is within ${Math.abs(driftMs)} ms of Bybit's, so it is not the cause.`,
      })
    })()
    void authFailure.then((error) => {
      for (const sub of subs) if (sub.poolKey === 'private') deliverError(sub, error)
    })
  }

  // ---- subscriptions

  function index(sub: SubState): void {
    for (const symbol of sub.symbols) {
      const key = `${sub.market}|${symbol}`
      let set = bySymbol.get(key)
      if (set === undefined) {
        set = new Set()
        bySymbol.set(key, set)
      }
      set.add(sub)
    }
  }

  function unindex(sub: SubState): void {
    for (const symbol of sub.symbols) {
      const key = `${sub.market}|${symbol}`
      const set = bySymbol.get(key)
      set?.delete(sub)
      if (set?.size === 0) bySymbol.delete(key)
    }
  }

  async function start(sub: SubState): Promise<void> {
    const request = sub.request
    if (closed)
      throw new SubscriptionError('The Bybit adapter is closed.', {
        venue: 'bybit',
        hint: 'Create a new adapter.',
      })
    if (sub.channel === 'orders' || sub.channel === 'balances') {
      if (settings.credentials === undefined || !revealSecret(settings.credentials).secret) {
        throw new ConfigError(`The ${sub.channel} channel needs credentials with an API secret.`, {
          venue: 'bybit',
          hint: 'Pass credentials: createCredentials({ apiKey, secret }) to createBybit.',
        })
      }
      if (sub.channel === 'orders') {
        for (const symbol of request.symbols) {
          assertUnifiedSymbol(symbol, symbol.includes(':') ? 'linear' : 'spot', 'bybit')
          sub.symbols.add(symbol)
        }
      }
      sub.topics = [sub.channel === 'orders' ? 'order' : 'wallet']
      if (syncClock) await ensureClock()
      else {
        // The offset only explains a refused login here; an unreachable time endpoint must not block it.
        await ensureClock().catch(() => undefined)
      }
      await addTopics(sub)
      return
    }
    if (sub.market !== 'spot' && sub.market !== 'linear') {
      throw new SubscriptionError(`Bybit ${sub.market} markets are not supported by @tickmesh/bybit.`, {
        venue: 'bybit',
        hint: "Use market: 'spot' or 'linear'.",
      })
    }
    const market = sub.market
    if (request.symbols.length === 0) {
      throw new SubscriptionError('Subscribe to at least one symbol.', {
        venue: 'bybit',
        hint: 'Pass symbols: ["BTC/USDT"].',
      })
    }
    let interval: string | undefined
    if (sub.channel === 'candles') {
      interval = BYBIT_INTERVALS[request.interval ?? '1m']
      if (interval === undefined) {
        throw new SubscriptionError(`Bybit has no ${request.interval} candles.`, {
          venue: 'bybit',
          hint: `Use one of ${Object.keys(BYBIT_INTERVALS).join(', ')}.`,
        })
      }
    }
    for (const symbol of request.symbols) assertUnifiedSymbol(symbol, market, 'bybit')
    const resolved: Instrument[] = []
    for (const symbol of request.symbols) resolved.push(await instruments.resolve(symbol, market))
    const topics: string[] = []
    for (const instrument of resolved) {
      sub.symbols.add(instrument.symbol)
      const venueSymbol = instrument.venueSymbol
      if (sub.channel === 'ticker') topics.push(`tickers.${venueSymbol}`)
      else if (sub.channel === 'trades') topics.push(`publicTrade.${venueSymbol}`)
      else if (sub.channel === 'bbo') topics.push(`orderbook.1.${venueSymbol}`)
      else if (sub.channel === 'book') topics.push(`orderbook.${sub.topicDepth}.${venueSymbol}`)
      else topics.push(`kline.${interval}.${venueSymbol}`)
    }
    sub.topics = topics
    if (sub.closed) return
    index(sub)
    await addTopics(sub)
  }

  async function addTopics(sub: SubState): Promise<void> {
    if (sub.closed) return
    for (const topic of sub.topics) {
      const key = `${sub.poolKey}|${topic}`
      topicRefs.set(key, (topicRefs.get(key) ?? 0) + 1)
    }
    try {
      await poolFor(sub.poolKey).add(sub.topics)
    } catch (error) {
      if (sub.poolKey === 'private' && authFailure !== null) throw await authFailure
      throw error
    }
  }

  async function release(sub: SubState): Promise<void> {
    if (sub.closed) return
    sub.closed = true
    subs.delete(sub)
    unindex(sub)
    sub.stream.close()
    const unused: string[] = []
    for (const topic of sub.topics) {
      const key = `${sub.poolKey}|${topic}`
      const count = (topicRefs.get(key) ?? 0) - 1
      if (count > 0) topicRefs.set(key, count)
      else if (topicRefs.delete(key)) unused.push(topic)
    }
    const pool = pools.get(sub.poolKey)
    if (pool !== undefined && unused.length > 0 && !closed) await pool.remove(unused)
  }

  return {
    venue: 'bybit',

    subscribe(request: SubscribeRequest, handlers?: SubscriptionHandlers): Subscription {
      const channel = request.channel
      const isPrivate = channel === 'orders' || channel === 'balances'
      const depth = Math.max(
        1,
        Math.min(request.depth ?? settings.bookDepth ?? BYBIT_DEFAULT_BOOK_DEPTH, 1000),
      )
      const sub: SubState = {
        id: `bybit-${nextId++}`,
        request: Object.freeze({ ...request, symbols: [...request.symbols] }),
        channel,
        market: request.market ?? 'spot',
        poolKey: isPrivate ? 'private' : request.market === 'linear' ? 'linear' : 'spot',
        stream: new EventStream({
          venue: 'bybit',
          ...(settings.highWaterMark === undefined ? {} : { highWaterMark: settings.highWaterMark }),
        }),
        handlers,
        symbols: new Set(),
        topics: [],
        depth,
        topicDepth: bookTopicDepth(depth),
        interval: channel === 'candles' ? (request.interval ?? '1m') : null,
        closed: false,
      }
      subs.add(sub)
      if (handlers?.onEvent) sub.stream.on(handlers.onEvent)
      const ready = start(sub).catch(async (error: unknown) => {
        const failure =
          error instanceof TickmeshError
            ? error
            : new SubscriptionError('Subscribing failed.', { venue: 'bybit', cause: error })
        deliverError(sub, failure)
        await release(sub).catch(() => undefined)
        throw failure
      })
      // The failure is also delivered as an error event and to onError: never an unhandled rejection.
      ready.catch(() => undefined)
      // Without a callback the first iterator is attached now, so a `for await` started after
      // `await ready` still sees every event from the start (the initial snapshot included).
      let early: AsyncIterator<MarketEvent> | null = handlers?.onEvent
        ? null
        : sub.stream[Symbol.asyncIterator]()
      return {
        id: sub.id,
        request: sub.request,
        ready,
        unsubscribe: () => release(sub),
        [Symbol.asyncIterator]: () => {
          if (early === null) return sub.stream[Symbol.asyncIterator]()
          const iterator = early
          early = null
          return iterator
        },
      }
    },

    onEvent(listener: (event: MarketEvent) => void): () => void {
      const off = everything.on(listener)
      return () => {
        off()
      }
    },

    async instruments(market: Market = 'spot'): Promise<readonly Instrument[]> {
      if (market !== 'spot' && market !== 'linear') return []
      return instruments.list(market)
    },

    async close(): Promise<void> {
      if (closed) return
      closed = true
      for (const timer of resyncTimers.values()) clearTimeout(timer)
      resyncTimers.clear()
      for (const sub of [...subs]) {
        sub.closed = true
        sub.stream.close()
      }
      subs.clear()
      bySymbol.clear()
      clock?.stop()
      await Promise.all([...pools.values()].map((pool) => pool.close()))
      pools.clear()
      everything.close()
    },
  }
}
