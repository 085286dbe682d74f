import type { IncomingMessage, ServerResponse } from 'node:http'
import { crc32Signed } from '@tickmesh/core'
import type { RawData, WebSocket } from 'ws'
import { ConnectionSet } from '../../shared/connection-set'
import type { Outbound } from '../../shared/outbound'
import { RestFaultGate } from '../../shared/rest-fault-gate'
import { scaledMs } from '../../shared/time-scale'
import { TokenBucket } from '../../shared/token-bucket'
import type {
  SimBookChange,
  SimFault,
  SimInstrument,
  SimLevel,
  SimTrade,
  VenueModule,
  VenueModuleFactory,
  VenueModuleOptions,
} from '../../sim-types'
import { OKX_SIM_CREDENTIALS, verifyOkxLogin } from './okx-sim-auth'
import { diffWindow, resetWindow } from './okx-sim-book-window'
import { CandleBuilder, candleSpecOf } from './okx-sim-candles'
import { type OkxWireLevel, okxChecksumString, okxLevels, okxPx, okxSz } from './okx-sim-format'
import { okxBboFrame, okxBooks5Frame, okxTickerFrame } from './okx-sim-market-frames'
import { okxAccountFrame, okxOrderFrame } from './okx-sim-private-frames'
import { handleOkxRest } from './okx-sim-rest'

export { OKX_SIM_CREDENTIALS, okxLoginSign, verifyOkxLogin } from './okx-sim-auth'

// The simulated OKX V5: `/ws/v5/public` (tickers, trades, bbo-tbt, books, books5),
// `/ws/v5/business` (candles), `/ws/v5/private` (login, orders, account), with OKX's acks, error
// codes, text ping/pong, 30 s idle close (4004), per-connection op limit and book sequence rules.

type Endpoint = 'public' | 'business' | 'private'

const PATHS: Record<string, Endpoint> = {
  '/ws/v5/public': 'public',
  '/ws/v5/business': 'business',
  '/ws/v5/private': 'private',
}

const PUBLIC_CHANNELS = new Set(['tickers', 'trades', 'bbo-tbt', 'books', 'books5'])
const VIP_BOOK_CHANNELS = new Set(['books-l2-tbt', 'books50-l2-tbt'])
const PRIVATE_CHANNELS = new Set(['orders', 'account'])

/** OKX: subscribe/unsubscribe/login at most 480 times per hour per connection. */
const OPS_PER_HOUR = 480
/** Keep each connection under ~30 channels of 400-depth books. */
const MAX_BOOK_CHANNELS_PER_CONNECTION = 30
/** Combined args of one request at most 64 KB. */
const MAX_REQUEST_BYTES = 64 * 1024
const IDLE_CLOSE_MS = 30_000
const BOOK_HEARTBEAT_MS = 60_000
const BOOK_DEPTH = 400
const PUSH_INTERVAL_MS = 100
const PRIVATE_INTERVAL_MS = 1_000
const UPGRADE_NOTICE_MS = 60_000

function wrongUrlMessage(channel: string, instId: string): string {
  return `Wrong URL or channel:${channel},instId:${instId} doesn't exist. Please use the correct URL, channel and parameters referring to API document.`
}

interface Subscription {
  channel: string
  instId: string
  /** The arg exactly as the client sent it (echoed in acks). */
  arg: Record<string, unknown>
}

/** Per-instrument state shared by every connection: OKX's seqId is per instrument, not per socket. */
interface InstrumentStream {
  instrument: SimInstrument
  seqId: number
  /** The book changed since the last push. */
  bookDirty: boolean
  /**
   * The 400-level window last pushed on `books` (price ticks → size lots). Updates are diffs of this
   * window, so a level entering the top 400 from below is pushed too, as OKX does.
   */
  viewBids: Map<number, number>
  viewAsks: Map<number, number>
  lastBookPushAt: number
  lastTop5: string
  lastBbo: string
  tickerDirty: boolean
  gapNext: boolean
  badChecksumNext: boolean
  candles: Map<string, CandleBuilder>
}

class OkxConnection {
  readonly subscriptions = new Map<string, Subscription>()
  readonly ops: TokenBucket
  loggedIn = false
  lastSentAt: number
  privateStep = 0
  constructor(
    readonly outbound: Outbound,
    readonly endpoint: Endpoint,
    readonly connId: string,
  ) {
    this.ops = new TokenBucket({ capacity: OPS_PER_HOUR, refillPerSecond: OPS_PER_HOUR / 3600 })
    this.lastSentAt = Date.now()
  }

  send(frame: string): void {
    if (this.outbound.send(frame)) this.lastSentAt = Date.now()
  }

  bookChannels(): number {
    let count = 0
    for (const subscription of this.subscriptions.values()) if (subscription.channel === 'books') count++
    return count
  }
}

class OkxVenue implements VenueModule {
  readonly venue = 'okx' as const
  private readonly options: VenueModuleOptions
  private readonly connections = new ConnectionSet()
  private readonly okxConnections = new Set<OkxConnection>()
  private readonly streams = new Map<string, InstrumentStream>()
  /** `channel:instId` → connections subscribed to it. */
  private readonly subscribers = new Map<string, Set<OkxConnection>>()
  private readonly restGate = new RestFaultGate({
    errorBody: (status) =>
      status === 429
        ? { code: '50011', msg: 'Too Many Requests', data: [] }
        : { code: '50001', msg: 'Service temporarily unavailable. Please try again later.', data: [] },
  })
  private readonly unsubscribeMarket: (() => void)[] = []
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  private pushTimer: ReturnType<typeof setInterval> | null = null
  private idleTimer: ReturnType<typeof setInterval> | null = null
  private privateTimer: ReturnType<typeof setInterval> | null = null
  private connectionCounter = 0
  private closed = false
  private nextOrderId = 1

  constructor(options: VenueModuleOptions) {
    this.options = options
    for (const instrument of options.market.instruments('okx')) {
      const book = options.market.book(instrument, 1)
      this.streams.set(instrument.venueSymbol, {
        instrument,
        seqId: 1_000 + book.updateId * 3,
        bookDirty: false,
        viewBids: new Map(),
        viewAsks: new Map(),
        lastBookPushAt: Date.now(),
        lastTop5: '',
        lastBbo: '',
        tickerDirty: true,
        gapNext: false,
        badChecksumNext: false,
        candles: new Map(),
      })
    }
    this.unsubscribeMarket.push(options.market.onBook((change) => this.onBook(change)))
    this.unsubscribeMarket.push(options.market.onTrade((trade) => this.onTrade(trade)))
  }

  get sentFrames(): number {
    return this.connections.sentFrames
  }

  get connectionCount(): number {
    return this.connections.size
  }

  handleConnection(socket: WebSocket, _request: IncomingMessage, url: URL): void {
    const endpoint = PATHS[url.pathname]
    const connId = (((++this.connectionCounter * 2654435761) >>> 0) + 0x10000000).toString(16).slice(-8)
    const outbound = this.connections.attach(socket)
    if (endpoint === undefined || this.closed) {
      // OKX answers an unknown path with 60018 and closes.
      outbound.send(
        JSON.stringify({ event: 'error', code: '60018', msg: `Wrong URL: ${url.pathname}`, connId }),
      )
      outbound.close(1008, 'wrong url')
      return
    }
    const connection = new OkxConnection(outbound, endpoint, connId)
    this.okxConnections.add(connection)
    this.ensureTimers()
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return
      this.onClientText(connection, data.toString())
    })
    socket.once('close', () => {
      this.okxConnections.delete(connection)
      for (const key of connection.subscriptions.keys()) this.subscribers.get(key)?.delete(connection)
      connection.subscriptions.clear()
      if (this.okxConnections.size === 0) this.stopTimers()
    })
  }

  handleHttp(request: IncomingMessage, response: ServerResponse, url: URL): boolean {
    if (!url.pathname.startsWith('/api/v5/')) return false
    if (this.restGate.intercept(request, response, url)) return true
    return handleOkxRest(this.options.market, request, response, url)
  }

  inject(fault: SimFault): void {
    if (this.connections.applyFault(fault)) return
    switch (fault.kind) {
      case 'rest':
        this.restGate.arm(fault)
        return
      case 'sequenceGap':
        for (const stream of this.matchingStreams(fault.symbol)) stream.gapNext = true
        return
      case 'badChecksum':
        for (const stream of this.matchingStreams(fault.symbol)) stream.badChecksumNext = true
        return
      case 'errorReply':
        for (const connection of this.okxConnections) {
          connection.send(
            JSON.stringify({
              event: 'error',
              code: '50001',
              msg: 'Service temporarily unavailable. Please try again later.',
              connId: connection.connId,
            }),
          )
        }
        return
      case 'plannedDisconnect': {
        const targets = [...this.okxConnections]
        for (const connection of targets) {
          connection.send(
            JSON.stringify({
              event: 'notice',
              code: '64008',
              msg: 'The connection will soon be closed for a service upgrade. Please reconnect.',
              connId: connection.connId,
            }),
          )
        }
        const timer = setTimeout(
          () => {
            this.timers.delete(timer)
            for (const connection of targets) connection.outbound.close(1012, 'service upgrade')
          },
          scaledMs(UPGRADE_NOTICE_MS, this.options.timeScale),
        )
        this.timers.add(timer)
        return
      }
      default:
        return
    }
  }

  close(): void {
    this.closed = true
    for (const unsubscribe of this.unsubscribeMarket) unsubscribe()
    this.unsubscribeMarket.length = 0
    this.stopTimers()
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    this.restGate.close()
    this.connections.closeAll()
    this.okxConnections.clear()
    this.subscribers.clear()
  }

  // --- inbound

  private onClientText(connection: OkxConnection, text: string): void {
    if (text === 'ping') {
      connection.send('pong')
      return
    }
    if (text.length > MAX_REQUEST_BYTES) {
      this.replyError(
        connection,
        null,
        '60012',
        `Invalid request: request exceeds ${MAX_REQUEST_BYTES} bytes`,
      )
      return
    }
    let request: unknown
    try {
      request = JSON.parse(text)
    } catch {
      this.replyError(connection, null, '60012', `Invalid request: ${text}`)
      return
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      this.replyError(connection, null, '60012', `Invalid request: ${text}`)
      return
    }
    const { op, args, id } = request as Record<string, unknown>
    const requestId = typeof id === 'string' && /^[A-Za-z0-9]{1,32}$/.test(id) ? id : null
    if (id !== undefined && requestId === null) {
      this.replyError(connection, null, '60012', `Invalid request: ${text}`)
      return
    }
    if (
      (op !== 'subscribe' && op !== 'unsubscribe' && op !== 'login') ||
      !Array.isArray(args) ||
      args.length === 0
    ) {
      this.replyError(connection, requestId, '60012', `Invalid request: ${text}`)
      return
    }
    if (!connection.ops.take()) {
      this.replyError(connection, requestId, '60014', 'Requests too frequent.')
      return
    }
    if (op === 'login') this.login(connection, args[0])
    else if (op === 'subscribe') for (const arg of args) this.subscribe(connection, requestId, arg, text)
    else for (const arg of args) this.unsubscribe(connection, requestId, arg, text)
  }

  private login(connection: OkxConnection, arg: unknown): void {
    if (connection.endpoint === 'public') {
      this.replyError(connection, null, '60008', 'The current WebSocket endpoint does not support login.')
      return
    }
    const verdict = verifyOkxLogin(arg, this.options.market.now())
    if (!verdict.ok) {
      this.replyError(connection, null, verdict.code, verdict.msg)
      return
    }
    connection.loggedIn = true
    connection.send(JSON.stringify({ event: 'login', code: '0', msg: '', connId: connection.connId }))
  }

  private subscribe(connection: OkxConnection, requestId: string | null, arg: unknown, text: string): void {
    if (
      typeof arg !== 'object' ||
      arg === null ||
      typeof (arg as Record<string, unknown>).channel !== 'string'
    ) {
      this.replyError(connection, requestId, '60012', `Invalid request: ${text}`)
      return
    }
    const record = arg as Record<string, unknown>
    const channel = record.channel as string
    const instId = typeof record.instId === 'string' ? record.instId : ''
    if (PRIVATE_CHANNELS.has(channel)) {
      this.subscribePrivate(connection, requestId, record, channel)
      return
    }
    const candle = candleSpecOf(channel)
    if (candle !== null && connection.endpoint !== 'business') {
      this.replyError(
        connection,
        requestId,
        '64001',
        "This channel has been migrated to the '/business' URL. Please subscribe using the new URL.",
      )
      return
    }
    if (VIP_BOOK_CHANNELS.has(channel)) {
      this.replyError(
        connection,
        requestId,
        '64003',
        "Your trading fee tier doesn't meet the requirement to access this channel",
      )
      return
    }
    const allowed =
      connection.endpoint === 'public'
        ? PUBLIC_CHANNELS.has(channel)
        : connection.endpoint === 'business' && candle !== null
    const stream = this.streams.get(instId)
    if (!allowed || stream === undefined) {
      this.replyError(connection, requestId, '60018', wrongUrlMessage(channel, instId))
      return
    }
    if (channel === 'books' && connection.bookChannels() >= MAX_BOOK_CHANNELS_PER_CONNECTION) {
      connection.outbound.close(4008, 'The number of subscribed channels exceeds the maximum limit.')
      return
    }
    const key = `${channel}:${instId}`
    if (channel === 'books') {
      // Push what is pending to the current subscribers first, so this snapshot and the shared
      // seqId stream agree exactly.
      stream.bookDirty = true
      this.flush(stream, Date.now())
    }
    const alreadySubscribed = connection.subscriptions.has(key)
    connection.subscriptions.set(key, { channel, instId, arg: { channel, instId } })
    let set = this.subscribers.get(key)
    if (!set) {
      set = new Set()
      this.subscribers.set(key, set)
    }
    set.add(connection)
    this.sendAck(connection, 'subscribe', requestId, { channel, instId })
    if (candle !== null && !stream.candles.has(channel)) {
      stream.candles.set(channel, new CandleBuilder(stream.instrument, candle))
    }
    // A (re)subscription gets the current state at once, as OKX does.
    if (channel === 'books' || !alreadySubscribed) this.sendInitial(connection, stream, channel)
  }

  private subscribePrivate(
    connection: OkxConnection,
    requestId: string | null,
    arg: Record<string, unknown>,
    channel: string,
  ): void {
    if (connection.endpoint !== 'private') {
      this.replyError(
        connection,
        requestId,
        '60018',
        wrongUrlMessage(channel, String(arg.instType ?? arg.ccy ?? '')),
      )
      return
    }
    if (!connection.loggedIn) {
      this.replyError(connection, requestId, '60011', 'Please log in')
      return
    }
    if (channel === 'orders' && typeof arg.instType !== 'string') {
      this.replyError(
        connection,
        requestId,
        '60012',
        `Invalid request: ${JSON.stringify({ op: 'subscribe', args: [arg] })}`,
      )
      return
    }
    const echo: Record<string, unknown> = { channel }
    if (typeof arg.instType === 'string') echo.instType = arg.instType
    if (typeof arg.instId === 'string') echo.instId = arg.instId
    if (typeof arg.ccy === 'string') echo.ccy = arg.ccy
    connection.subscriptions.set(channel, { channel, instId: '', arg: echo })
    this.sendAck(connection, 'subscribe', requestId, echo)
    if (channel === 'account') connection.send(okxAccountFrame(this.options.market, connection.privateStep))
  }

  private unsubscribe(connection: OkxConnection, requestId: string | null, arg: unknown, text: string): void {
    if (
      typeof arg !== 'object' ||
      arg === null ||
      typeof (arg as Record<string, unknown>).channel !== 'string'
    ) {
      this.replyError(connection, requestId, '60012', `Invalid request: ${text}`)
      return
    }
    const record = arg as Record<string, unknown>
    const channel = record.channel as string
    const instId = typeof record.instId === 'string' ? record.instId : ''
    const key = PRIVATE_CHANNELS.has(channel) ? channel : `${channel}:${instId}`
    const existing = connection.subscriptions.get(key)
    connection.subscriptions.delete(key)
    this.subscribers.get(key)?.delete(connection)
    this.sendAck(connection, 'unsubscribe', requestId, existing?.arg ?? { channel, instId })
  }

  private sendAck(
    connection: OkxConnection,
    event: string,
    requestId: string | null,
    arg: Record<string, unknown>,
  ): void {
    const ack: Record<string, unknown> = {}
    if (requestId !== null) ack.id = requestId
    ack.event = event
    ack.arg = arg
    ack.connId = connection.connId
    connection.send(JSON.stringify(ack))
  }

  private replyError(connection: OkxConnection, requestId: string | null, code: string, msg: string): void {
    const reply: Record<string, unknown> = {}
    if (requestId !== null) reply.id = requestId
    reply.event = 'error'
    reply.code = code
    reply.msg = msg
    reply.connId = connection.connId
    connection.send(JSON.stringify(reply))
  }

  // --- market data

  private onBook(change: SimBookChange): void {
    if (change.instrument.venue !== 'okx') return
    const stream = this.streams.get(change.instrument.venueSymbol)
    if (!stream) return
    stream.bookDirty = true
    stream.tickerDirty = true
    if (this.options.firehose) this.flush(stream, Date.now())
  }

  private onTrade(trade: SimTrade): void {
    if (trade.instrument.venue !== 'okx') return
    const stream = this.streams.get(trade.instrument.venueSymbol)
    if (!stream) return
    stream.tickerDirty = true
    const instrument = stream.instrument
    const instId = instrument.venueSymbol
    for (const [channel, builder] of stream.candles) {
      const closed = builder.add(trade)
      if (closed)
        this.broadcast(channel, instId, JSON.stringify({ arg: { channel, instId }, data: [closed] }))
    }
    const subscribers = this.subscribers.get(`trades:${instId}`)
    if (!subscribers || subscribers.size === 0) return
    const frame = JSON.stringify({
      arg: { channel: 'trades', instId },
      data: [
        {
          instId,
          tradeId: String(trade.id),
          px: okxPx(instrument, trade.priceTicks),
          sz: okxSz(instrument, trade.sizeLots),
          side: trade.side,
          ts: String(trade.time),
          count: '1',
          source: '0',
          seqId: trade.id,
        },
      ],
    })
    for (const connection of subscribers) connection.send(frame)
  }

  private sendInitial(connection: OkxConnection, stream: InstrumentStream, channel: string): void {
    const instrument = stream.instrument
    const instId = instrument.venueSymbol
    switch (channel) {
      case 'books': {
        const book = this.options.market.book(instrument, BOOK_DEPTH)
        resetWindow(stream.viewBids, book.bids)
        resetWindow(stream.viewAsks, book.asks)
        const bids = okxLevels(instrument, book.bids)
        const asks = okxLevels(instrument, book.asks)
        connection.send(
          JSON.stringify({
            arg: { channel, instId },
            action: 'snapshot',
            data: [
              {
                asks,
                bids,
                ts: String(this.options.market.now()),
                checksum: this.options.okxChecksums ? crc32Signed(okxChecksumString(bids, asks)) : 0,
                prevSeqId: -1,
                seqId: stream.seqId,
              },
            ],
          }),
        )
        return
      }
      case 'books5':
        connection.send(okxBooks5Frame(this.options.market, stream.instrument, stream.seqId))
        return
      case 'bbo-tbt':
        connection.send(okxBboFrame(this.options.market, stream.instrument, stream.seqId))
        return
      case 'tickers':
        connection.send(okxTickerFrame(this.options.market, stream.instrument))
        return
      default: {
        const builder = stream.candles.get(channel)
        if (builder?.hasCandle)
          connection.send(JSON.stringify({ arg: { channel, instId }, data: [builder.row()] }))
      }
    }
  }

  /** Pushes what changed since the last push: book increments, books5, bbo, ticker, candles, heartbeats. */
  private flush(stream: InstrumentStream, now: number): void {
    const instrument = stream.instrument
    const instId = instrument.venueSymbol
    const hasChanges = stream.bookDirty
    stream.bookDirty = false
    const bookSubscribers = this.subscribers.get(`books:${instId}`)
    if (hasChanges && bookSubscribers && bookSubscribers.size > 0) {
      const book = this.options.market.book(instrument, BOOK_DEPTH)
      const bids = diffWindow(stream.viewBids, book.bids, -1)
      const asks = diffWindow(stream.viewAsks, book.asks, 1)
      if (bids.length > 0 || asks.length > 0) {
        const previous = stream.seqId
        // OKX's seqId grows by arbitrary steps; a deterministic 1–3 keeps clients honest.
        stream.seqId += 1 + (stream.seqId % 3)
        if (stream.gapNext) {
          // The injected gap: this increment is lost, the next one names a prevSeqId nobody saw.
          stream.gapNext = false
        } else {
          this.sendBookUpdate(
            stream,
            bookSubscribers,
            okxLevels(instrument, bids),
            okxLevels(instrument, asks),
            previous,
            book,
          )
          stream.lastBookPushAt = now
        }
      }
    } else if (
      bookSubscribers &&
      bookSubscribers.size > 0 &&
      now - stream.lastBookPushAt >= scaledMs(BOOK_HEARTBEAT_MS, this.options.timeScale)
    ) {
      // Heartbeat after a quiet period: no levels, prevSeqId == seqId.
      this.sendBookUpdate(stream, bookSubscribers, [], [], stream.seqId, null)
      stream.lastBookPushAt = now
    }
    if (hasChanges) {
      const books5 = this.subscribers.get(`books5:${instId}`)
      if (books5 && books5.size > 0) {
        const frame = okxBooks5Frame(this.options.market, stream.instrument, stream.seqId)
        if (frame !== stream.lastTop5) {
          stream.lastTop5 = frame
          for (const connection of books5) connection.send(frame)
        }
      }
      const bbo = this.subscribers.get(`bbo-tbt:${instId}`)
      if (bbo && bbo.size > 0) {
        const frame = okxBboFrame(this.options.market, stream.instrument, stream.seqId)
        if (frame !== stream.lastBbo) {
          stream.lastBbo = frame
          for (const connection of bbo) connection.send(frame)
        }
      }
    }
    if (stream.tickerDirty) {
      stream.tickerDirty = false
      const tickers = this.subscribers.get(`tickers:${instId}`)
      if (tickers && tickers.size > 0) {
        const frame = okxTickerFrame(this.options.market, stream.instrument)
        for (const connection of tickers) connection.send(frame)
      }
    }
    for (const [channel, builder] of stream.candles) {
      if (!builder.dirty) continue
      builder.dirty = false
      this.broadcast(channel, instId, JSON.stringify({ arg: { channel, instId }, data: [builder.row()] }))
    }
  }

  private sendBookUpdate(
    stream: InstrumentStream,
    subscribers: Set<OkxConnection>,
    bids: OkxWireLevel[],
    asks: OkxWireLevel[],
    prevSeqId: number,
    window: { bids: readonly SimLevel[]; asks: readonly SimLevel[] } | null,
  ): void {
    let checksum = 0
    if (this.options.okxChecksums || stream.badChecksumNext) {
      const top = window ?? this.options.market.book(stream.instrument, 25)
      checksum = crc32Signed(
        okxChecksumString(okxLevels(stream.instrument, top.bids), okxLevels(stream.instrument, top.asks)),
      )
      if (stream.badChecksumNext) {
        stream.badChecksumNext = false
        checksum = checksum === 0x7fffffff ? 1 : checksum + 1
      }
    }
    const frame = JSON.stringify({
      arg: { channel: 'books', instId: stream.instrument.venueSymbol },
      action: 'update',
      data: [{ asks, bids, ts: String(this.options.market.now()), checksum, prevSeqId, seqId: stream.seqId }],
    })
    for (const connection of subscribers) connection.send(frame)
  }

  private broadcast(channel: string, instId: string, frame: string): void {
    const subscribers = this.subscribers.get(`${channel}:${instId}`)
    if (!subscribers) return
    for (const connection of subscribers) connection.send(frame)
  }

  // --- private stream: a synthetic order life cycle with balance updates

  private privateTick(): void {
    for (const connection of this.okxConnections) {
      if (connection.endpoint !== 'private' || !connection.loggedIn) continue
      const orders = connection.subscriptions.has('orders')
      const account = connection.subscriptions.has('account')
      if (!orders && !account) continue
      const step = connection.privateStep++ % 3
      if (orders) {
        const orderNumber = step === 0 ? this.nextOrderId++ : this.nextOrderId - 1
        const arg = connection.subscriptions.get('orders')?.arg ?? { channel: 'orders' }
        connection.send(okxOrderFrame(this.options.market, arg, step, orderNumber))
      }
      if (account) connection.send(okxAccountFrame(this.options.market, connection.privateStep))
    }
  }

  // --- timers

  private ensureTimers(): void {
    if (this.pushTimer === null && !this.options.firehose) {
      const interval =
        this.options.rate && this.options.rate > 0 ? 1000 / this.options.rate : PUSH_INTERVAL_MS
      this.pushTimer = setInterval(() => {
        const now = Date.now()
        for (const stream of this.streams.values()) this.flush(stream, now)
      }, interval)
    }
    if (this.idleTimer === null) {
      const idleMs = scaledMs(IDLE_CLOSE_MS, this.options.timeScale)
      this.idleTimer = setInterval(
        () => {
          const now = Date.now()
          for (const connection of this.okxConnections) {
            // A stalled connection stays open and silent: that is the fault being simulated.
            if (connection.outbound.isStalled) continue
            if (now - connection.lastSentAt >= idleMs)
              connection.outbound.close(4004, 'No data received in 30s.')
          }
        },
        Math.max(1, Math.round(idleMs / 6)),
      )
    }
    if (this.privateTimer === null) {
      this.privateTimer = setInterval(
        () => this.privateTick(),
        scaledMs(PRIVATE_INTERVAL_MS, this.options.timeScale),
      )
    }
  }

  private stopTimers(): void {
    if (this.pushTimer !== null) clearInterval(this.pushTimer)
    if (this.idleTimer !== null) clearInterval(this.idleTimer)
    if (this.privateTimer !== null) clearInterval(this.privateTimer)
    this.pushTimer = null
    this.idleTimer = null
    this.privateTimer = null
  }

  private matchingStreams(symbol: string | undefined): InstrumentStream[] {
    const result: InstrumentStream[] = []
    for (const stream of this.streams.values()) {
      if (
        symbol === undefined ||
        stream.instrument.venueSymbol === symbol ||
        stream.instrument.symbol === symbol
      ) {
        result.push(stream)
      }
    }
    return result
  }
}

/** The OKX venue module for the simulator's shared server. */
export const createOkxVenue: VenueModuleFactory = (options) => new OkxVenue(options)

/** The simulated account's credentials (the only API key the simulated OKX accepts). */
export const okxSimCredentials = OKX_SIM_CREDENTIALS
