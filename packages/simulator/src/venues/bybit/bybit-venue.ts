import type { IncomingMessage, ServerResponse } from 'node:http'
import type { WebSocket } from 'ws'
import type { Outbound } from '../../shared/index'
import { ConnectionSet, RestFaultGate, scaledMs } from '../../shared/index'
import type { SimFault, SimInstrument, SimTrade, VenueModule, VenueModuleOptions } from '../../sim-types'
import type { Feed, FeedContext } from './bybit-feeds'
import { BookFeed, KlineFeed, TickerFeed } from './bybit-feeds'
import { opReply, pongFrame, tradeFrame } from './bybit-frames'
import { BybitPrivateUpdates } from './bybit-private-updates'
import { bybitRestErrorBody, handleBybitRest } from './bybit-rest'
import { verifyBybitAuth } from './bybit-sim-auth'
import type { BybitCategory } from './bybit-topics'
import { BYBIT_PATHS, bookCadenceMs, PRIVATE_TOPICS, parsePublicTopic } from './bybit-topics'

/** Spot refuses a subscribe request with more than this many args. */
const SPOT_MAX_ARGS = 10
/** Total characters of subscribed args per connection, all categories. */
const MAX_TOPIC_CHARS = 21_000
/** Connections with no client message and no subscription for this long are cut (10 min). */
const IDLE_CUT_MS = 600_000
/** orderbook.1 is re-sent after this long without change. */
const BBO_RESEND_MS = 3_000
const PRIVATE_UPDATE_MS = 1_000

interface BybitClient {
  readonly outbound: Outbound
  readonly category: BybitCategory
  readonly connId: string
  /** Subscribed topics → their feed (null for trades and private topics, which have no state). */
  readonly topics: Map<string, Feed | null>
  topicChars: number
  authenticated: boolean
  lastInboundAt: number
  privateUpdates: BybitPrivateUpdates | null
  privateTimer: ReturnType<typeof setInterval> | null
}

type Category = 'spot' | 'linear'

/** The simulated Bybit V5: `/v5/public/{spot,linear}`, `/v5/private` and `/v5/market/*` on one base URL. */
export class BybitVenue implements VenueModule {
  readonly venue = 'bybit' as const
  private readonly connections = new ConnectionSet()
  private readonly clients = new Set<BybitClient>()
  private readonly feeds = new Map<string, Feed>()
  /** Feeds per instrument, for routing market changes. */
  private readonly feedsOf = new Map<SimInstrument, Feed[]>()
  private readonly tradeSubscribers = new Map<string, Set<BybitClient>>()
  private readonly instruments = new Map<string, SimInstrument>()
  private readonly lastTrade = new Map<SimInstrument, { priceTicks: number; direction: string }>()
  private readonly crossSequence = new Map<SimInstrument, number>()
  private readonly gate = new RestFaultGate({ errorBody: bybitRestErrorBody })
  private readonly feedContext: FeedContext
  private readonly unsubscribeMarket: (() => void)[] = []
  private readonly housekeeping: ReturnType<typeof setInterval>
  private nextConnId = 1
  private errorReplyArmed = false
  private closed = false

  constructor(private readonly options: VenueModuleOptions) {
    const market = options.market
    for (const instrument of market.instruments('bybit')) {
      if (instrument.market === 'spot' || instrument.market === 'linear') {
        this.instruments.set(`${instrument.market}|${instrument.venueSymbol}`, instrument)
      }
    }
    this.feedContext = {
      market,
      firehose: options.firehose === true,
      tickDirection: (instrument) => this.lastTrade.get(instrument)?.direction ?? 'ZeroPlusTick',
      nextFundingTime: () => {
        const eightHours = 8 * 3_600_000
        return (Math.floor(market.now() / eightHours) + 1) * eightHours
      },
    }
    this.unsubscribeMarket.push(
      market.onBook((change) => {
        const feeds = this.feedsOf.get(change.instrument)
        if (feeds === undefined) return
        for (const feed of feeds) if (!(feed instanceof KlineFeed)) feed.request()
      }),
      market.onTrade((trade) => this.onTrade(trade)),
    )
    // At least 10 ms apart even under a tiny timeScale: housekeeping must not spin the CPU.
    this.housekeeping = setInterval(() => this.tick(), Math.max(10, scaledMs(500, options.timeScale)))
  }

  get sentFrames(): number {
    return this.connections.sentFrames
  }

  get connectionCount(): number {
    return this.connections.size
  }

  handleConnection(socket: WebSocket, _request: IncomingMessage, url: URL): void {
    const category = BYBIT_PATHS[url.pathname]
    if (category === undefined || this.closed) {
      socket.close(1008, 'path not found')
      return
    }
    const client: BybitClient = {
      outbound: this.connections.attach(socket),
      category,
      connId: `sim${(this.nextConnId++).toString(36).padStart(6, '0')}-${category}`,
      topics: new Map(),
      topicChars: 0,
      authenticated: false,
      lastInboundAt: this.options.market.now(),
      privateUpdates: null,
      privateTimer: null,
    }
    this.clients.add(client)
    socket.on('message', (data, isBinary) => {
      if (isBinary) return
      this.onClientMessage(client, data.toString())
    })
    socket.once('close', () => this.dropClient(client))
  }

  handleHttp(request: IncomingMessage, response: ServerResponse, url: URL): boolean {
    if (!url.pathname.startsWith('/v5/market/') || request.method !== 'GET') return false
    if (this.gate.intercept(request, response, url)) return true
    return handleBybitRest(response, url, this.options.market, (category, symbol) =>
      this.instruments.get(`${category}|${symbol}`),
    )
  }

  inject(fault: SimFault): void {
    if (this.connections.applyFault(fault)) return
    switch (fault.kind) {
      case 'errorReply':
        this.errorReplyArmed = true
        return
      case 'sequenceGap':
        for (const feed of this.feeds.values()) {
          if (!(feed instanceof BookFeed) || feed.depth === 1) continue
          if (
            fault.symbol === undefined ||
            fault.symbol === feed.instrument.venueSymbol ||
            fault.symbol === feed.instrument.symbol
          ) {
            feed.dropNext = true
          }
        }
        return
      case 'rest':
        this.gate.arm(fault)
        return
      case 'plannedDisconnect':
        // Bybit announces no maintenance on the socket: the connection just closes.
        for (const outbound of this.connections) outbound.close(1001, 'server restart')
        return
      default:
        // badChecksum: Bybit books carry no checksum.
        return
    }
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    clearInterval(this.housekeeping)
    for (const unsubscribe of this.unsubscribeMarket) unsubscribe()
    for (const feed of this.feeds.values()) feed.close()
    for (const client of this.clients) this.stopPrivate(client)
    this.clients.clear()
    this.gate.close()
    this.connections.closeAll()
  }

  private tick(): void {
    const now = this.options.market.now()
    const idleMs = scaledMs(IDLE_CUT_MS, this.options.timeScale)
    for (const client of this.clients) {
      if (client.topics.size === 0 && now - client.lastInboundAt > idleMs) client.outbound.close(1000, 'idle')
    }
    const quietMs = scaledMs(BBO_RESEND_MS, this.options.timeScale)
    for (const feed of this.feeds.values()) if (feed instanceof BookFeed) feed.resendIfQuiet(quietMs)
  }

  private onTrade(trade: SimTrade): void {
    const instrument = trade.instrument
    if (instrument.venue !== 'bybit') return
    const previous = this.lastTrade.get(instrument)
    let direction = 'ZeroPlusTick'
    if (previous !== undefined) {
      if (trade.priceTicks > previous.priceTicks) direction = 'PlusTick'
      else if (trade.priceTicks < previous.priceTicks) direction = 'MinusTick'
      else direction = previous.direction.endsWith('MinusTick') ? 'ZeroMinusTick' : 'ZeroPlusTick'
    }
    this.lastTrade.set(instrument, { priceTicks: trade.priceTicks, direction })
    const sequence = (this.crossSequence.get(instrument) ?? 1_000_000) + 1
    this.crossSequence.set(instrument, sequence)
    if (instrument.market === 'spot' || instrument.market === 'linear') {
      const subscribers = this.tradeSubscribers.get(`${instrument.market}|${instrument.venueSymbol}`)
      if (subscribers !== undefined && subscribers.size > 0) {
        const frame = tradeFrame(instrument.market, trade, direction, sequence)
        for (const client of subscribers) client.outbound.send(frame)
      }
    }
    const feeds = this.feedsOf.get(instrument)
    if (feeds === undefined) return
    for (const feed of feeds) {
      if (feed instanceof KlineFeed) feed.onTrade(trade)
      else if (feed instanceof TickerFeed) feed.request()
    }
  }

  private onClientMessage(client: BybitClient, text: string): void {
    client.lastInboundAt = this.options.market.now()
    let message: unknown
    try {
      message = JSON.parse(text)
    } catch {
      client.outbound.send(
        opReply(this.replyCategory(client), '', false, 'Params Error', client.connId, undefined),
      )
      return
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      client.outbound.send(
        opReply(this.replyCategory(client), '', false, 'Params Error', client.connId, undefined),
      )
      return
    }
    const record = message as Record<string, unknown>
    const requestId =
      typeof record.req_id === 'string'
        ? record.req_id
        : typeof record.req_id === 'number'
          ? String(record.req_id)
          : undefined
    const op = typeof record.op === 'string' ? record.op : ''
    switch (op) {
      case 'ping':
        client.outbound.send(pongFrame(client.category, client.connId, requestId, this.options.market.now()))
        return
      case 'subscribe':
      case 'unsubscribe':
        this.onSubscribe(client, op, record.args, requestId)
        return
      case 'auth':
        this.onAuth(client, record.args, requestId)
        return
      default:
        client.outbound.send(
          opReply(this.replyCategory(client), op, false, `error:invalid op:${op}`, client.connId, requestId),
        )
    }
  }

  private replyCategory(client: BybitClient): BybitCategory {
    return client.category
  }

  private onAuth(client: BybitClient, args: unknown, requestId: string | undefined): void {
    if (client.category !== 'private') {
      client.outbound.send(
        opReply(client.category, 'auth', false, 'error:invalid op:auth', client.connId, requestId),
      )
      return
    }
    const verdict = verifyBybitAuth(args, this.options.market.now())
    if (!verdict.ok) {
      client.outbound.send(opReply('private', 'auth', false, verdict.retMsg, client.connId, requestId))
      return
    }
    client.authenticated = true
    client.outbound.send(opReply('private', 'auth', true, '', client.connId, requestId))
  }

  private onSubscribe(
    client: BybitClient,
    op: 'subscribe' | 'unsubscribe',
    args: unknown,
    requestId: string | undefined,
  ): void {
    const refuse = (retMsg: string) =>
      client.outbound.send(opReply(client.category, op, false, retMsg, client.connId, requestId))
    if (!Array.isArray(args) || args.length === 0 || args.some((arg) => typeof arg !== 'string')) {
      refuse('Params Error')
      return
    }
    const topics = args as string[]
    if (this.errorReplyArmed) {
      this.errorReplyArmed = false
      refuse('error:internal server error, please retry')
      return
    }
    if (client.category === 'spot' && topics.length > SPOT_MAX_ARGS) {
      refuse(`args size >${SPOT_MAX_ARGS}`)
      return
    }
    if (client.category === 'private') {
      if (!client.authenticated) {
        refuse('Request not authorized')
        return
      }
      for (const topic of topics) {
        if (!PRIVATE_TOPICS.has(topic)) {
          refuse(`error:handler not found,topic:${topic}`)
          return
        }
      }
      client.outbound.send(opReply('private', op, true, '', client.connId, requestId))
      for (const topic of topics) {
        if (op === 'subscribe') client.topics.set(topic, null)
        else client.topics.delete(topic)
      }
      this.updatePrivate(client)
      return
    }
    const category = client.category
    if (op === 'unsubscribe') {
      client.outbound.send(opReply(category, op, true, null, client.connId, requestId))
      for (const topic of topics) this.removeTopic(client, topic)
      return
    }
    let chars = client.topicChars
    for (const topic of topics) {
      const parsed = parsePublicTopic(topic, category, (symbol) =>
        this.instruments.get(`${category}|${symbol}`),
      )
      if (parsed === null) {
        refuse(`error:handler not found,topic:${topic}`)
        return
      }
      if (client.topics.has(topic)) {
        refuse(`error:already subscribed,topic:${topic}`)
        return
      }
      chars += topic.length
    }
    if (chars > MAX_TOPIC_CHARS) {
      refuse(`error:args length exceeds ${MAX_TOPIC_CHARS} per connection`)
      return
    }
    client.outbound.send(opReply(category, op, true, null, client.connId, requestId))
    for (const topic of topics) this.addTopic(client, category, topic)
  }

  private addTopic(client: BybitClient, category: Category, topic: string): void {
    const parsed = parsePublicTopic(topic, category, (symbol) =>
      this.instruments.get(`${category}|${symbol}`),
    )
    if (parsed === null) return
    client.topicChars += topic.length
    if (parsed.kind === 'publicTrade') {
      const key = `${category}|${parsed.instrument.venueSymbol}`
      let subscribers = this.tradeSubscribers.get(key)
      if (subscribers === undefined) {
        subscribers = new Set()
        this.tradeSubscribers.set(key, subscribers)
      }
      subscribers.add(client)
      client.topics.set(topic, null)
      return
    }
    const feed = this.feedFor(category, topic, parsed)
    client.topics.set(topic, feed)
    feed.add(client)
  }

  private removeTopic(client: BybitClient, topic: string): void {
    if (!client.topics.has(topic)) return
    const feed = client.topics.get(topic)
    client.topics.delete(topic)
    client.topicChars -= topic.length
    if (feed) {
      feed.remove(client)
      return
    }
    for (const subscribers of this.tradeSubscribers.values()) subscribers.delete(client)
    // Re-add trade subscriptions the client still has on other symbols.
    for (const other of client.topics.keys()) {
      if (!other.startsWith('publicTrade.') || client.category === 'private') continue
      this.tradeSubscribers.get(`${client.category}|${other.slice('publicTrade.'.length)}`)?.add(client)
    }
  }

  private feedFor(
    category: Category,
    topic: string,
    parsed: NonNullable<ReturnType<typeof parsePublicTopic>>,
  ): Feed {
    const key = `${category}|${topic}`
    const existing = this.feeds.get(key)
    if (existing !== undefined) return existing
    const rate = this.options.rate
    const cadence = (realMs: number) => (rate !== undefined && rate > 0 ? 1000 / rate : realMs)
    let feed: Feed
    if (parsed.kind === 'orderbook') {
      // Never 1: `u == 1` tells clients the service restarted.
      const firstUpdateId = 1_000 + this.options.market.book(parsed.instrument, 1).updateId * 10
      feed = new BookFeed(
        this.feedContext,
        category,
        topic,
        parsed.instrument,
        cadence(bookCadenceMs(category, parsed.depth)),
        parsed.depth,
        firstUpdateId,
      )
    } else if (parsed.kind === 'kline') {
      feed = new KlineFeed(
        this.feedContext,
        category,
        topic,
        parsed.instrument,
        cadence(1_000),
        parsed.interval,
        parsed.intervalMs,
      )
    } else {
      feed = new TickerFeed(
        this.feedContext,
        category,
        topic,
        parsed.instrument,
        cadence(category === 'spot' ? 50 : 100),
      )
    }
    this.feeds.set(key, feed)
    const list = this.feedsOf.get(parsed.instrument)
    if (list === undefined) this.feedsOf.set(parsed.instrument, [feed])
    else list.push(feed)
    return feed
  }

  private updatePrivate(client: BybitClient): void {
    if (client.topics.size === 0) {
      this.stopPrivate(client)
      return
    }
    if (client.privateTimer !== null) return
    client.privateUpdates ??= new BybitPrivateUpdates(this.options.market, client.connId)
    client.privateTimer = setInterval(
      () => {
        const updates = client.privateUpdates
        if (updates === null) return
        for (const frame of updates.next(new Set(client.topics.keys()))) client.outbound.send(frame)
      },
      scaledMs(PRIVATE_UPDATE_MS, this.options.timeScale),
    )
  }

  private stopPrivate(client: BybitClient): void {
    if (client.privateTimer === null) return
    clearInterval(client.privateTimer)
    client.privateTimer = null
  }

  private dropClient(client: BybitClient): void {
    this.stopPrivate(client)
    for (const feed of client.topics.values()) feed?.remove(client)
    for (const subscribers of this.tradeSubscribers.values()) subscribers.delete(client)
    client.topics.clear()
    this.clients.delete(client)
  }
}
