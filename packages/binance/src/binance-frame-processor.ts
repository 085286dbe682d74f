import type {
  DecodeContext,
  FrameProcessor,
  FrameProcessorOptions,
  Market,
  MarketEvent,
  RestClient,
  SequenceRule,
} from '@tickmesh/core'
import {
  BookSync,
  createRestClient,
  nowMs,
  RestError,
  safeParseJson,
  TickmeshError,
  truncate,
} from '@tickmesh/core'
import { BinanceFuturesSequenceRule, binanceSpotSequenceRule } from './binance-sequence-rule'
import { BINANCE_DEFAULT_BOOK_DEPTH } from './binance-settings'
import { BinanceTradeBackfill } from './binance-trade-backfill'
import { BINANCE_FUTURES_REST_URL, BINANCE_REST_URL } from './binance-urls'
import { decodeBinanceObject } from './decode/decode-binance'
import { decodeError, isObject, resolveSymbol } from './decode/decode-helpers'
import type { BinanceDepthUpdate } from './decode/parse-binance-depth'
import { parseBinanceDepthSnapshot, parseBinanceDepthUpdate } from './decode/parse-binance-depth'

export interface BinanceFrameProcessorOptions extends FrameProcessorOptions {
  /** USDⓈ-M futures REST base (default: `restUrl` when given, else `https://fapi.binance.com`). */
  futuresRestUrl?: string
  /** Levels asked of the REST snapshot (spot ≤ 5000, futures ≤ 1000). Default 1000. */
  snapshotLimit?: number
  /** Delay before re-fetching a snapshot after a failure or a stale snapshot: base × 2^attempt, capped. */
  snapshotRetry?: { baseDelayMs?: number; maxDelayMs?: number }
  /** REST timeout per attempt (default 10 000 ms). */
  restTimeoutMs?: number
}

/** The frame processor plus what the adapter needs to manage books per symbol. */
export interface BinanceFrameProcessor extends FrameProcessor {
  /** Levels per side emitted in `book` events for a symbol (default `bookDepth`, else 50). */
  setBookDepth(market: Market, venueSymbol: string, depth: number): void
  /** Resyncs one symbol's book from a new snapshot (its connection was re-established). */
  resync(market: Market, venueSymbol: string, reason: string): void
  /** Stops syncing a symbol's book (its depth stream was unsubscribed). */
  forget(market: Market, venueSymbol: string): void
  /** Stops tracking a symbol's aggregate trade ids (its trade stream was unsubscribed). */
  forgetTrades(market: Market, venueSymbol: string): void
  /** Cancels snapshot fetches and retry timers. */
  close(): void
}

interface BookState {
  market: Market
  venueSymbol: string
  symbol: string
  sync: BookSync<BinanceDepthUpdate>
  futuresRule: BinanceFuturesSequenceRule | null
  depth: number
  /** Bumped on every reset so a snapshot answering an older request is dropped. */
  generation: number
  fetching: boolean
  attempt: number
  retryTimer: ReturnType<typeof setTimeout> | null
  lastEventTime: number | null
}

/**
 * Decode + book sync for Binance without sockets: the adapter feeds it frames from its connections,
 * `tickmesh replay` from a recording. Depth diffs are buffered per symbol, a REST snapshot is fetched
 * (`/api/v3/depth`, `/fapi/v1/depth`), and the book follows Binance's procedure exactly; a gap
 * resyncs only that symbol (status `resyncing` → `open`, symbol set).
 */
export function createBinanceFrameProcessor(options: BinanceFrameProcessorOptions): BinanceFrameProcessor {
  const emit = options.emit
  const defaultDepth = options.bookDepth ?? BINANCE_DEFAULT_BOOK_DEPTH
  const snapshotLimit = options.snapshotLimit ?? 1000
  const retryBase = options.snapshotRetry?.baseDelayMs ?? 250
  const retryMax = options.snapshotRetry?.maxDelayMs ?? 30_000
  const restOf = new Map<Market, RestClient>()
  // Per market, by venue symbol: the depth path looks a book up without building a key string.
  const books: Record<Market, Map<string, BookState>> = {
    spot: new Map(),
    linear: new Map(),
    inverse: new Map(),
  }
  const depthOverrides = new Map<string, number>()
  let closed = false

  function restClient(market: Market): RestClient {
    let client = restOf.get(market)
    if (client) return client
    const baseUrl =
      market === 'spot'
        ? (options.restUrl ?? BINANCE_REST_URL)
        : (options.futuresRestUrl ?? options.restUrl ?? BINANCE_FUTURES_REST_URL)
    const onRaw = options.onRaw
    client = createRestClient({
      baseUrl,
      venue: 'binance',
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.restTimeoutMs === undefined ? {} : { timeoutMs: options.restTimeoutMs }),
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
    restOf.set(market, client)
    return client
  }

  // One context per market, reused: decoders never keep it, so only receivedAt changes per frame.
  const contexts: Record<Market, DecodeContext> = {
    spot: makeContext('spot'),
    linear: makeContext('linear'),
    inverse: makeContext('inverse'),
  }
  function makeContext(market: Market): DecodeContext {
    const symbolOf = options.symbolOf
    return symbolOf === undefined
      ? { market, receivedAt: 0 }
      : { market, receivedAt: 0, symbolOf: (venueSymbol: string) => symbolOf(venueSymbol, market) }
  }

  const scratch: MarketEvent[] = []
  const trades = new BinanceTradeBackfill({ emit, restOf: restClient, isClosed: () => closed })

  function push(frame: string, market: Market, receivedAt: number): void {
    if (closed) return
    const context = contexts[market]
    context.receivedAt = receivedAt
    const parsed = safeParseJson(frame)
    if (!parsed.success) {
      emit(decodeError(`Invalid JSON: ${parsed.error.message}`, frame, context))
      return
    }
    const value = parsed.value
    if (!isObject(value)) {
      emit(decodeError('A Binance frame must be a JSON object.', frame, context))
      return
    }
    const data = typeof value.stream === 'string' && isObject(value.data) ? value.data : value
    if (data.e === 'depthUpdate') {
      // Futures partial depth (`@depth<N>`) also says depthUpdate; only diffs reach the book sync.
      const stream = typeof value.stream === 'string' ? value.stream : null
      if (stream !== null && isPartialDepthStream(stream)) return
      onDepth(data, frame, context)
      return
    }
    decodeBinanceObject(value, frame, context, scratch)
    // Aggregate trade ids are consecutive per symbol: route them through the gap filler.
    const isAggTrade = data.e === 'aggTrade'
    for (let index = 0; index < scratch.length; index++) {
      const event = scratch[index] as MarketEvent
      if (isAggTrade && event.kind === 'trade') trades.push(event)
      else emit(event)
    }
    scratch.length = 0
  }

  function onDepth(data: Record<string, unknown>, frame: string, context: DecodeContext): void {
    const update = parseBinanceDepthUpdate(data)
    if (update === null) {
      emit(decodeError('Binance depthUpdate with malformed ids or levels.', frame, context))
      return
    }
    const market = context.market
    const marketBooks = books[market]
    let state = marketBooks.get(update.venueSymbol)
    if (!state) {
      const key = `${market}:${update.venueSymbol}`
      const symbol = resolveSymbol(update.venueSymbol, context)
      if (symbol === null) {
        emit(decodeError(`Unknown Binance symbol "${update.venueSymbol}".`, frame, context))
        return
      }
      state = createState(market, update.venueSymbol, symbol, depthOverrides.get(key) ?? defaultDepth)
      marketBooks.set(update.venueSymbol, state)
    }
    state.lastEventTime = update.eventTime
    const result = state.sync.push(update)
    if (result === 'apply') {
      emitBook(state, context.receivedAt, false)
    } else if (result === 'gap') {
      // Same as the other venues: a SEQUENCE_GAP error event, then the symbol's resync status.
      const gap = decodeError(
        `Binance ${state.venueSymbol} skipped update ids: book at ${String(state.sync.book.sequence ?? 'cleared')}, event U=${update.firstUpdateId} u=${update.finalUpdateId}.`,
        frame,
        context,
        state.symbol,
        'SEQUENCE_GAP',
      )
      gap.hint = 'The book is resynced from a fresh REST snapshot; no update is applied out of order.'
      emit(gap)
      emitStatus(
        state,
        'resyncing',
        `Sequence gap on ${state.venueSymbol}: book at ${String(state.sync.book.sequence ?? 'cleared')}, event U=${update.firstUpdateId} u=${update.finalUpdateId}${update.previousFinalUpdateId === null ? '' : ` pu=${update.previousFinalUpdateId}`}; fetching a new snapshot.`,
      )
      requestSnapshot(state)
    } else if (result === 'buffered' && !state.fetching && state.retryTimer === null) {
      requestSnapshot(state)
    }
  }

  function createState(market: Market, venueSymbol: string, symbol: string, depth: number): BookState {
    const futuresRule = market === 'spot' ? null : new BinanceFuturesSequenceRule()
    const rule: SequenceRule<BinanceDepthUpdate> = futuresRule ?? binanceSpotSequenceRule
    return {
      market,
      venueSymbol,
      symbol,
      sync: new BookSync<BinanceDepthUpdate>({
        rule,
        applyUpdate: (book, update) => {
          book.applyLevels('bid', update.bids)
          book.applyLevels('ask', update.asks)
        },
        book: { maxDepth: Math.max(snapshotLimit, depth) },
      }),
      futuresRule,
      depth,
      generation: 0,
      fetching: false,
      attempt: 0,
      retryTimer: null,
      lastEventTime: null,
    }
  }

  function requestSnapshot(state: BookState): void {
    if (closed || state.fetching) return
    if (state.retryTimer !== null) return
    state.fetching = true
    const generation = state.generation
    const path = state.market === 'spot' ? '/api/v3/depth' : '/fapi/v1/depth'
    const limit = state.market === 'spot' ? Math.min(snapshotLimit, 5000) : Math.min(snapshotLimit, 1000)
    restClient(state.market)
      .get<unknown>(path, { symbol: state.venueSymbol, limit })
      .then(
        (response) => {
          if (closed || generation !== state.generation) return
          state.fetching = false
          const snapshot = parseBinanceDepthSnapshot(response.value)
          if (snapshot === null) {
            failSnapshot(
              state,
              new RestError(response.url, response.status, truncate(response.raw, 300), {
                venue: 'binance',
                hint: 'The depth snapshot had an unexpected shape; retrying.',
              }),
            )
            return
          }
          state.futuresRule?.restart()
          const verdict = state.sync.snapshot(snapshot.bids, snapshot.asks, snapshot.lastUpdateId)
          if (verdict === 'gap') {
            // The snapshot is older than the buffered events (or they do not connect): fetch again.
            scheduleRetry(state)
            return
          }
          state.attempt = 0
          emitStatus(
            state,
            'open',
            `Book of ${state.venueSymbol} synced at update id ${String(state.sync.book.sequence)}.`,
          )
          emitBook(state, response.receivedAt, true)
        },
        (error: unknown) => {
          if (closed || generation !== state.generation) return
          state.fetching = false
          failSnapshot(state, error)
        },
      )
  }

  function failSnapshot(state: BookState, error: unknown): void {
    const tickmeshError =
      error instanceof TickmeshError
        ? error
        : new TickmeshError('Depth snapshot request failed.', { venue: 'binance', cause: error })
    emit({
      kind: 'error',
      venue: 'binance',
      market: state.market,
      symbol: state.symbol,
      code: tickmeshError.code,
      message: `Depth snapshot for ${state.venueSymbol} failed: ${tickmeshError.shortMessage}`,
      hint: 'Retrying with backoff; other symbols are not affected.',
      raw: null,
      receivedAt: nowMs(),
    })
    scheduleRetry(state)
  }

  function scheduleRetry(state: BookState): void {
    if (closed || state.retryTimer !== null) return
    const delay = Math.min(retryMax, retryBase * 2 ** state.attempt)
    state.attempt++
    state.retryTimer = setTimeout(() => {
      state.retryTimer = null
      requestSnapshot(state)
    }, delay)
  }

  /** `isSnapshot`: the book was just (re)built from a REST depth snapshot rather than a diff. */
  function emitBook(state: BookState, receivedAt: number, isSnapshot: boolean): void {
    const book = state.sync.book
    const top = book.top(state.depth)
    emit({
      kind: 'book',
      venue: 'binance',
      market: state.market,
      symbol: state.symbol,
      venueSymbol: state.venueSymbol,
      exchangeTime: state.lastEventTime,
      receivedAt,
      bids: top.bids,
      asks: top.asks,
      sequence: book.sequence,
      isSnapshot,
    })
  }

  function emitStatus(state: BookState, status: 'open' | 'resyncing', reason: string): void {
    emit({
      kind: 'status',
      venue: 'binance',
      market: state.market,
      state: status,
      reason,
      symbol: state.symbol,
      channel: 'book',
      url: null,
      attempt: state.attempt,
      receivedAt: nowMs(),
    })
  }

  function resetState(state: BookState): void {
    state.generation++
    state.fetching = false
    state.attempt = 0
    if (state.retryTimer !== null) clearTimeout(state.retryTimer)
    state.retryTimer = null
    state.sync.reset()
  }

  return {
    push,
    reset(market: Market): void {
      for (const state of books[market].values()) {
        resetState(state)
        emitStatus(
          state,
          'resyncing',
          `Connection re-established: the book of ${state.venueSymbol} resyncs from a new snapshot.`,
        )
      }
    },
    resync(market: Market, venueSymbol: string, reason: string): void {
      const state = books[market].get(venueSymbol)
      if (!state) return
      resetState(state)
      emitStatus(state, 'resyncing', reason)
    },
    setBookDepth(market: Market, venueSymbol: string, depth: number): void {
      const key = `${market}:${venueSymbol}`
      depthOverrides.set(key, depth)
      const state = books[market].get(venueSymbol)
      if (state) state.depth = depth
    },
    forget(market: Market, venueSymbol: string): void {
      const key = `${market}:${venueSymbol}`
      const state = books[market].get(venueSymbol)
      if (state) resetState(state)
      books[market].delete(venueSymbol)
      depthOverrides.delete(key)
    },
    forgetTrades(market: Market, venueSymbol: string): void {
      trades.forget(market, venueSymbol)
    },
    close(): void {
      closed = true
      trades.clear()
      for (const marketBooks of Object.values(books)) {
        for (const state of marketBooks.values()) resetState(state)
        marketBooks.clear()
      }
    },
  }
}

const DEPTH_MARKER = '@depth'

/** `btcusdt@depth5@100ms` (partial book) rather than `btcusdt@depth@100ms` (diffs): a digit follows. */
function isPartialDepthStream(stream: string): boolean {
  for (let at = stream.indexOf(DEPTH_MARKER); at !== -1; at = stream.indexOf(DEPTH_MARKER, at + 1)) {
    const code = stream.charCodeAt(at + DEPTH_MARKER.length)
    if (code >= 48 && code <= 57) return true
  }
  return false
}
