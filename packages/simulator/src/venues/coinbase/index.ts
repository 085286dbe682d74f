import type { IncomingMessage, ServerResponse } from 'node:http'
import type { WebSocket } from 'ws'
import { ConnectionSet, type Outbound, RestFaultGate, scaledMs, TokenBucket } from '../../shared/index'
import type {
  SimBookChange,
  SimFault,
  SimInstrument,
  SimTrade,
  VenueModule,
  VenueModuleFactory,
  VenueModuleOptions,
} from '../../sim-types'
import {
  errorFrame,
  heartbeatFrame,
  l2updateFrame,
  matchFrame,
  snapshotFrame,
  subscriptionsFrame,
  tickerFrame,
} from './coinbase-frames'
import { handleCoinbaseRest } from './coinbase-rest'
import {
  COINBASE_SIM_ACCOUNT,
  type CoinbaseSimAccount,
  hasAuthFields,
  verifyCoinbaseAuth,
} from './coinbase-sim-auth'
import { balanceFrame, userOrderFrames } from './coinbase-user-frames'

export type { CoinbaseSimAccount } from './coinbase-sim-auth'
export { COINBASE_SIM_ACCOUNT, coinbaseFeedSignature, verifyCoinbaseAuth } from './coinbase-sim-auth'
export { COINBASE_SIM_USER } from './coinbase-user-frames'

/** Channels of the Exchange feed the simulator serves. */
const PUBLIC_CHANNELS = new Set(['heartbeat', 'ticker', 'matches', 'level2_batch', 'level2_50'])
const AUTH_CHANNELS = new Set(['level2', 'user', 'balance'])
/** Real channels the simulator does not model (L3 order flow). */
const UNMODELED_CHANNELS = new Set(['full', 'level3', 'status', 'ticker_batch', 'rfq_matches', 'auctionfeed'])
/** level2_batch sends the changes of each 50 ms window as one l2update. */
const LEVEL2_BATCH_MS = 50

const LEVEL2_AUTH_REASON =
  'level2, level3, and full channels now require authentication. https://docs.cloud.coinbase.com/exchange/docs/websocket-auth'

/** The venue's real cadence and limits (scaled by `timeScale`). */
const SUBSCRIBE_DEADLINE_MS = 5_000
const HEARTBEAT_MS = 1_000
const INBOUND_BURST = 1_000
const INBOUND_PER_SECOND = 10
/** Every this many trades of a product, a subscribed user sees one of its orders filled. */
const USER_ORDER_EVERY = 3

interface ProductState {
  instrument: SimInstrument
  /** Per-product feed sequence: +1 per book change and per trade, as the full feed counts them. */
  sequence: number
  lastTrade: SimTrade | null
  /** level2_batch changes of the current window: price → new size (absolute, so the last one wins). */
  pendingBids: Map<number, number>
  pendingAsks: Map<number, number>
  pendingTime: number
}

interface ClientState {
  outbound: Outbound
  channels: Map<string, Set<string>>
  authenticated: boolean
  subscribed: boolean
  deadline: ReturnType<typeof setTimeout> | null
  heartbeat: ReturnType<typeof setInterval> | null
  bucket: TokenBucket
  /** Trades seen per product, for the synthetic user orders. */
  userTrades: Map<string, number>
  orderNumber: number
  balances: Map<string, number>
}

type ChannelRequest = { name: string; productIds: string[] }

export interface CoinbaseVenueOptions extends VenueModuleOptions {
  /** API keys the private feed accepts. Default `[COINBASE_SIM_ACCOUNT]`. */
  accounts?: readonly CoinbaseSimAccount[]
}

/**
 * The simulated Coinbase Exchange: the feed at `/` (subscribe/unsubscribe with the cumulative
 * `subscriptions` reply, 5 s subscribe deadline, heartbeat, ticker, matches, level2_batch and
 * authenticated level2/user/balance) and the REST endpoints around it.
 */
export const createCoinbaseVenue: VenueModuleFactory = (options) => createCoinbaseVenueModule(options)

export function createCoinbaseVenueModule(options: CoinbaseVenueOptions): VenueModule {
  const { market, timeScale } = options
  const accounts = options.accounts ?? [COINBASE_SIM_ACCOUNT]
  const connections = new ConnectionSet()
  const clients = new Set<ClientState>()
  const restGate = new RestFaultGate({ errorBody: (status) => ({ message: restErrorMessage(status) }) })
  const products = new Map<string, ProductState>()
  for (const instrument of market.instruments('coinbase')) {
    const trades = market.trades(instrument)
    products.set(instrument.venueSymbol, {
      instrument,
      sequence: 1_000_000 + products.size * 100_000,
      lastTrade: trades[trades.length - 1] ?? null,
      pendingBids: new Map(),
      pendingAsks: new Map(),
      pendingTime: 0,
    })
  }
  let errorReplies = 0
  /** Products whose next trade is dropped from matches/ticker (`sequenceGap`); `*` = any product. */
  const gaps = new Map<string, number>()
  let closed = false

  const removeBook = market.onBook((change) => onBook(change))
  const removeTrade = market.onTrade((trade) => onTrade(trade))

  function wants(client: ClientState, channel: string, productId: string): boolean {
    return client.channels.get(channel)?.has(productId) === true
  }

  // `rate` sets the batch window (messages/s per stream); firehose sends every change at once.
  const batchMs =
    options.rate !== undefined && options.rate > 0
      ? Math.max(1, Math.round(1000 / options.rate))
      : LEVEL2_BATCH_MS
  const batchImmediately = options.firehose === true
  const batchTimer = batchImmediately ? null : setInterval(flushBatches, batchMs)
  batchTimer?.unref()

  /** The batched public book (`level2_50` is an alias of `level2_batch`). */
  function wantsBatch(client: ClientState, productId: string): boolean {
    return wants(client, 'level2_batch', productId) || wants(client, 'level2_50', productId)
  }

  function onBook(change: SimBookChange): void {
    const product = products.get(change.instrument.venueSymbol)
    if (product === undefined || change.instrument.venue !== 'coinbase') return
    product.sequence++
    const productId = product.instrument.venueSymbol
    let frame: string | null = null
    let batched = false
    for (const client of clients) {
      // level2 (authenticated) has guaranteed, unbatched delivery.
      if (wants(client, 'level2', productId) || (batchImmediately && wantsBatch(client, productId))) {
        frame ??= l2updateFrame(change)
        client.outbound.send(frame)
      } else if (!batched && wantsBatch(client, productId)) {
        batched = true
      }
    }
    if (!batched) return
    for (const [price, size] of change.bids) product.pendingBids.set(price, size)
    for (const [price, size] of change.asks) product.pendingAsks.set(price, size)
    product.pendingTime = change.time
  }

  function flushBatches(): void {
    for (const product of products.values()) {
      if (product.pendingBids.size === 0 && product.pendingAsks.size === 0) continue
      const frame = l2updateFrame({
        instrument: product.instrument,
        bids: [...product.pendingBids].sort((a, b) => b[0] - a[0]),
        asks: [...product.pendingAsks].sort((a, b) => a[0] - b[0]),
        updateId: product.sequence,
        time: product.pendingTime,
      })
      product.pendingBids.clear()
      product.pendingAsks.clear()
      const productId = product.instrument.venueSymbol
      // A client that subscribed during the window got a snapshot that already holds these
      // changes; re-applying absolute sizes is harmless.
      for (const client of clients) if (wantsBatch(client, productId)) client.outbound.send(frame)
    }
  }

  function consumeGap(productId: string): boolean {
    for (const key of [productId, '*']) {
      const count = gaps.get(key)
      if (count === undefined) continue
      if (count <= 1) gaps.delete(key)
      else gaps.set(key, count - 1)
      return true
    }
    return false
  }

  function onTrade(trade: SimTrade): void {
    const product = products.get(trade.instrument.venueSymbol)
    if (product === undefined || trade.instrument.venue !== 'coinbase') return
    product.sequence++
    product.lastTrade = trade
    const productId = product.instrument.venueSymbol
    // The matches channel "can drop messages": an injected gap loses this trade's match and ticker.
    const dropped = consumeGap(productId)
    let match: string | null = null
    let ticker: string | null = null
    for (const client of clients) {
      if (!dropped && wants(client, 'matches', productId)) {
        match ??= matchFrame('match', trade, product.sequence, options.market.seed)
        client.outbound.send(match)
      }
      if (!dropped && wants(client, 'ticker', productId)) {
        ticker ??= buildTicker(product)
        if (ticker !== null) client.outbound.send(ticker)
      }
      if (wants(client, 'user', productId) || wants(client, 'balance', productId))
        userActivity(client, product, trade)
    }
  }

  function buildTicker(product: ProductState): string | null {
    const trade = product.lastTrade
    if (trade === null) return null
    const top = market.book(product.instrument, 1)
    return tickerFrame({
      trade,
      sequence: product.sequence,
      stats: market.stats24h(product.instrument),
      bestBid: top.bids[0] ?? null,
      bestAsk: top.asks[0] ?? null,
    })
  }

  function userActivity(client: ClientState, product: ProductState, trade: SimTrade): void {
    const productId = product.instrument.venueSymbol
    const seen = (client.userTrades.get(productId) ?? 0) + 1
    client.userTrades.set(productId, seen)
    if (seen % USER_ORDER_EVERY !== 0) return
    client.orderNumber++
    if (wants(client, 'user', productId)) {
      for (const frame of userOrderFrames(trade, product.sequence, client.orderNumber))
        client.outbound.send(frame)
    }
    if (wants(client, 'balance', productId)) {
      const { base, quote, tickSize, lotSize } = product.instrument
      const size = trade.sizeLots * lotSize
      const notional = size * trade.priceTicks * tickSize
      // Our maker order took the other side of the taker.
      const sign = trade.side === 'buy' ? -1 : 1
      client.balances.set(base, (client.balances.get(base) ?? 10) + sign * size)
      client.balances.set(quote, (client.balances.get(quote) ?? 100_000) - sign * notional)
      for (const currency of [base, quote]) {
        client.outbound.send(balanceFrame(currency, client.balances.get(currency) ?? 0, 0, trade.time))
      }
    }
  }

  function parseChannels(message: Record<string, unknown>): ChannelRequest[] | string {
    const rootIds = Array.isArray(message.product_ids)
      ? (message.product_ids as unknown[]).filter((id): id is string => typeof id === 'string')
      : []
    if (!Array.isArray(message.channels) || message.channels.length === 0) return 'No channels provided'
    const requests: ChannelRequest[] = []
    for (const channel of message.channels as unknown[]) {
      if (typeof channel === 'string') {
        requests.push({ name: channel, productIds: rootIds })
      } else if (
        typeof channel === 'object' &&
        channel !== null &&
        typeof (channel as { name?: unknown }).name === 'string'
      ) {
        const record = channel as { name: string; product_ids?: unknown }
        const ids = Array.isArray(record.product_ids)
          ? (record.product_ids as unknown[]).filter((id): id is string => typeof id === 'string')
          : rootIds
        requests.push({ name: record.name, productIds: ids })
      } else {
        return 'Malformed channel'
      }
    }
    return requests
  }

  function handleSubscribe(client: ClientState, message: Record<string, unknown>): void {
    const parsed = parseChannels(message)
    if (typeof parsed === 'string') {
      client.outbound.send(errorFrame('Failed to subscribe', parsed))
      return
    }
    let needsAuth = false
    for (const request of parsed) {
      if (UNMODELED_CHANNELS.has(request.name)) {
        client.outbound.send(
          errorFrame('Failed to subscribe', `${request.name} is not served by the tickmesh simulator`),
        )
        return
      }
      if (!PUBLIC_CHANNELS.has(request.name) && !AUTH_CHANNELS.has(request.name)) {
        client.outbound.send(errorFrame('Failed to subscribe', `${request.name} is not a valid channel`))
        return
      }
      if (request.productIds.length === 0) {
        client.outbound.send(
          errorFrame('Failed to subscribe', `No product ids provided for channel ${request.name}`),
        )
        return
      }
      for (const productId of request.productIds) {
        if (!products.has(productId)) {
          client.outbound.send(errorFrame('Failed to subscribe', `${productId} is not a valid product`))
          return
        }
      }
      if (AUTH_CHANNELS.has(request.name)) needsAuth = true
    }
    if (hasAuthFields(message)) {
      const failure = verifyCoinbaseAuth(message, accounts, market.now())
      if (failure !== null) {
        client.outbound.send(errorFrame('Authentication Failed', failure))
        return
      }
      client.authenticated = true
    } else if (needsAuth && !client.authenticated) {
      const level2 = parsed.some((request) => request.name === 'level2')
      client.outbound.send(
        errorFrame(
          'Failed to subscribe',
          level2 ? LEVEL2_AUTH_REASON : 'user and balance channels require authentication',
        ),
      )
      return
    }
    if (errorReplies > 0) {
      errorReplies--
      client.outbound.send(errorFrame('Failed to subscribe', 'Internal server error'))
      return
    }
    const added: ChannelRequest[] = []
    for (const request of parsed) {
      let set = client.channels.get(request.name)
      if (set === undefined) {
        set = new Set()
        client.channels.set(request.name, set)
      }
      const fresh: string[] = []
      for (const productId of request.productIds) {
        if (set.has(productId)) continue
        set.add(productId)
        fresh.push(productId)
      }
      if (fresh.length > 0) added.push({ name: request.name, productIds: fresh })
    }
    client.subscribed = true
    if (client.deadline !== null) {
      clearTimeout(client.deadline)
      client.deadline = null
    }
    client.outbound.send(subscriptionsFrame(client.channels))
    // The first messages of each new subscription: the book snapshot, the last match, the last ticker.
    for (const request of added) {
      for (const productId of request.productIds) {
        const product = products.get(productId) as ProductState
        if (request.name === 'level2' || request.name === 'level2_batch' || request.name === 'level2_50') {
          // Changes of the open batch window are in this snapshot already.
          const book = market.book(product.instrument)
          client.outbound.send(snapshotFrame(product.instrument, book.bids, book.asks))
        } else if (request.name === 'matches' && product.lastTrade !== null) {
          client.outbound.send(matchFrame('last_match', product.lastTrade, product.sequence, market.seed))
        } else if (request.name === 'ticker') {
          const ticker = buildTicker(product)
          if (ticker !== null) client.outbound.send(ticker)
        }
      }
    }
    ensureHeartbeat(client)
  }

  function handleUnsubscribe(client: ClientState, message: Record<string, unknown>): void {
    const parsed = parseChannels(message)
    if (typeof parsed === 'string') {
      client.outbound.send(errorFrame('Failed to unsubscribe', parsed))
      return
    }
    for (const request of parsed) {
      const set = client.channels.get(request.name)
      if (set === undefined) continue
      // No product ids drops the whole channel.
      if (request.productIds.length === 0) set.clear()
      for (const productId of request.productIds) set.delete(productId)
      if (set.size === 0) client.channels.delete(request.name)
    }
    client.outbound.send(subscriptionsFrame(client.channels))
    ensureHeartbeat(client)
  }

  function ensureHeartbeat(client: ClientState): void {
    const wanted = (client.channels.get('heartbeat')?.size ?? 0) > 0
    if (wanted && client.heartbeat === null) {
      client.heartbeat = setInterval(
        () => {
          const now = market.now()
          for (const productId of client.channels.get('heartbeat') ?? []) {
            const product = products.get(productId)
            if (product === undefined) continue
            client.outbound.send(
              heartbeatFrame(product.instrument, product.sequence, product.lastTrade?.id ?? 0, now),
            )
          }
        },
        scaledMs(HEARTBEAT_MS, timeScale),
      )
    } else if (!wanted && client.heartbeat !== null) {
      clearInterval(client.heartbeat)
      client.heartbeat = null
    }
  }

  function dispose(client: ClientState): void {
    if (client.deadline !== null) clearTimeout(client.deadline)
    if (client.heartbeat !== null) clearInterval(client.heartbeat)
    client.deadline = null
    client.heartbeat = null
    clients.delete(client)
  }

  function handleMessage(client: ClientState, data: unknown): void {
    if (!client.bucket.take()) {
      client.outbound.send(errorFrame('Rate limit exceeded', 'Too many messages; slow down'))
      return
    }
    const text =
      typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : String(data)
    let message: unknown
    try {
      message = JSON.parse(text)
    } catch {
      client.outbound.send(errorFrame('Failed to subscribe', 'Malformed JSON'))
      return
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      client.outbound.send(errorFrame('Failed to subscribe', 'Malformed JSON'))
      return
    }
    const record = message as Record<string, unknown>
    if (record.type === 'subscribe') handleSubscribe(client, record)
    else if (record.type === 'unsubscribe') handleUnsubscribe(client, record)
    else
      client.outbound.send(
        errorFrame('Failed to subscribe', 'Type has to be either subscribe or unsubscribe'),
      )
  }

  return {
    venue: 'coinbase',
    handleConnection(socket: WebSocket, _request: IncomingMessage, url: URL): void {
      if (closed) {
        socket.terminate()
        return
      }
      // The feed names a slow-consumer disconnect ErrSlowConsume.
      const outbound = connections.attach(socket, { slowConsumerReason: 'ErrSlowConsume' })
      if (url.pathname !== '/' && url.pathname !== '') {
        outbound.close(1008, 'unknown path')
        return
      }
      const client: ClientState = {
        outbound,
        channels: new Map(),
        authenticated: false,
        subscribed: false,
        deadline: null,
        heartbeat: null,
        bucket: new TokenBucket({ capacity: INBOUND_BURST, refillPerSecond: INBOUND_PER_SECOND }),
        userTrades: new Map(),
        orderNumber: 0,
        balances: new Map(),
      }
      clients.add(client)
      // The feed drops connections that do not subscribe within 5 s.
      client.deadline = setTimeout(
        () => {
          client.deadline = null
          if (!client.subscribed) outbound.close(1000, 'subscribe timeout')
        },
        scaledMs(SUBSCRIBE_DEADLINE_MS, timeScale),
      )
      socket.on('message', (data: unknown) => {
        if (outbound.isStalled) return
        handleMessage(client, data)
      })
      socket.once('close', () => dispose(client))
    },
    handleHttp(request: IncomingMessage, response: ServerResponse, url: URL): boolean {
      if (closed) return false
      if (restGate.intercept(request, response, url)) return true
      return handleCoinbaseRest(
        market,
        { sequenceOf: (productId) => products.get(productId)?.sequence ?? 0 },
        request,
        response,
        url,
      )
    },
    inject(fault: SimFault): void {
      if (connections.applyFault(fault)) return
      switch (fault.kind) {
        case 'errorReply':
          errorReplies++
          return
        case 'sequenceGap': {
          const key = fault.symbol === undefined ? '*' : productIdOf(fault.symbol)
          gaps.set(key, (gaps.get(key) ?? 0) + 1)
          return
        }
        case 'rest':
          restGate.arm(fault)
          return
        case 'plannedDisconnect':
          // Coinbase sends no notice before maintenance: connections just close.
          for (const outbound of [...connections]) outbound.close(1001, 'going away')
          return
        default:
          // badChecksum: the Exchange feed has no checksum.
          return
      }
    },
    get sentFrames(): number {
      return connections.sentFrames
    },
    get connectionCount(): number {
      return connections.size
    },
    close(): void {
      closed = true
      removeBook()
      removeTrade()
      if (batchTimer !== null) clearInterval(batchTimer)
      for (const client of [...clients]) dispose(client)
      connections.closeAll()
      restGate.close()
    },
  }
}

/** `BTC/USD` or `BTC-USD` → `BTC-USD`. */
function productIdOf(symbol: string): string {
  return symbol.replace('/', '-')
}

function restErrorMessage(status: number): string {
  if (status === 429) return 'Public rate limit exceeded'
  if (status === 503) return 'Service Unavailable'
  if (status === 502) return 'Bad Gateway'
  return 'Internal Server Error'
}
