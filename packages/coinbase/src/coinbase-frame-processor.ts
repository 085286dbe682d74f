import type {
  BookEvent,
  CandleEvent,
  CandleInterval,
  DecodeContext,
  FrameProcessor,
  FrameProcessorOptions,
  Market,
  RawLevel,
  SequenceRule,
  StatusEvent,
  TradeEvent,
} from '@tickmesh/core'
import { BookSync, createRestClient, nowMs, safeParseJson, toNumber } from '@tickmesh/core'
import { CandleBuilder } from './candle-builder'
import {
  COINBASE_REST_URL,
  DEFAULT_BACKFILL_LIMIT,
  DEFAULT_BOOK_DEPTH,
  DEFAULT_MAX_PENDING_TRADES,
} from './coinbase-defaults'
import { CoinbaseOrderTracker } from './decode/coinbase-order-tracker'
import { unifiedFromProductId } from './decode/coinbase-symbol'
import { decodeCoinbaseMessage } from './decode/decode-coinbase'
import { decodeErrorEvent } from './decode/decode-error-event'
import {
  type CoinbaseBookUpdate,
  parseCoinbaseL2Update,
  parseCoinbaseSnapshot,
} from './decode/parse-coinbase-book'
import { parseCoinbaseTime } from './decode/parse-coinbase-time'
import { TradeContinuity } from './trade-continuity'

export interface CoinbaseFrameProcessorOptions extends FrameProcessorOptions {
  /**
   * A product's book needs a fresh snapshot (a malformed update or a crossed book): Coinbase sends one
   * only on (re)subscribe, so the adapter resubscribes that one product's book topic.
   */
  requestSnapshot?: (productId: string, market: Market) => void
  /** Most trades fetched over REST to fill one gap. Default 5 000. */
  backfillLimit?: number
  /** Live trades held per product while a backfill runs. Default 10 000. */
  maxPendingTrades?: number
}

/** The Coinbase pipeline without sockets; `createCoinbase` feeds it, `tickmesh replay` can too. */
export interface CoinbaseFrameProcessor extends FrameProcessor {
  /** Build `interval` candles for a product from its trades (the product's matches must be subscribed). */
  addCandles(productId: string, interval: CandleInterval): void
  removeCandles(productId: string, interval: CandleInterval): void
  /** Closes candles whose interval ended before `now` (venue time, ms). */
  flushCandles(now: number): void
  /** Stop tracking trade continuity for a product (its matches were unsubscribed). */
  forgetTrades(productId: string): void
  /** Forget a product's book (its book was unsubscribed). */
  forgetBook(productId: string): void
  /** The connection carrying this product's book reconnected: wait for the resubscribe's snapshot. */
  resetBook(productId: string): void
  /** Levels per side in `book` events from now on. */
  setBookDepth(depth: number): void
  /** The synced book of a product, or null while waiting for a snapshot. */
  book(productId: string): BookSync<CoinbaseBookUpdate>['book'] | null
  close(): void
}

// l2update carries no sequence: updates apply in arrival order, which the feed guarantees.
const ARRIVAL_ORDER: SequenceRule<CoinbaseBookUpdate> = {
  check: () => 'apply',
  next: () => 0,
}

interface BookState {
  sync: BookSync<CoinbaseBookUpdate>
  symbol: string
  /** A snapshot was requested after a resync (status `open` follows it). */
  resyncing: boolean
  everSynced: boolean
}

interface RestTrade {
  trade_id?: unknown
  price?: unknown
  size?: unknown
  side?: unknown
  time?: unknown
}

export function createCoinbaseFrameProcessor(options: CoinbaseFrameProcessorOptions): CoinbaseFrameProcessor {
  const emit = options.emit
  let depth = options.bookDepth ?? DEFAULT_BOOK_DEPTH
  const backfillLimit = options.backfillLimit ?? DEFAULT_BACKFILL_LIMIT
  const maxPendingTrades = options.maxPendingTrades ?? DEFAULT_MAX_PENDING_TRADES
  const books = new Map<string, BookState>()
  const trades = new Map<string, TradeContinuity>()
  const tickerSequences = new Map<string, number>()
  const candles = new Map<string, Map<CandleInterval, CandleBuilder>>()
  const tracker = new CoinbaseOrderTracker()
  const candleOut: CandleEvent[] = []
  const rest = createRestClient({
    baseUrl: options.restUrl ?? COINBASE_REST_URL,
    venue: 'coinbase',
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.onRaw === undefined
      ? {}
      : {
          onRaw: (response) =>
            options.onRaw?.({
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
  // One context per market, reused: no per-message closures on the hot path.
  const contexts = new Map<Market, DecodeContext>()
  const contextOf = (market: Market, receivedAt: number): DecodeContext => {
    let context = contexts.get(market)
    if (context === undefined) {
      const symbolOf = options.symbolOf
      context = { market, receivedAt }
      if (symbolOf !== undefined) context.symbolOf = (venueSymbol) => symbolOf(venueSymbol, market)
      contexts.set(market, context)
    }
    context.receivedAt = receivedAt
    return context
  }
  const symbolOf = (productId: string, market: Market): string | null =>
    options.symbolOf?.(productId, market) ?? unifiedFromProductId(productId)

  function status(
    state: StatusEvent['state'],
    reason: string,
    symbol: string,
    channel: StatusEvent['channel'],
  ): void {
    emit({
      kind: 'status',
      venue: 'coinbase',
      market: 'spot',
      state,
      reason,
      symbol,
      channel,
      url: null,
      attempt: 0,
      receivedAt: nowMs(),
    })
  }

  function bookEvent(
    state: BookState,
    productId: string,
    context: DecodeContext,
    time: number | null,
    isSnapshot: boolean,
  ): BookEvent {
    const top = state.sync.book.top(depth)
    return {
      kind: 'book',
      venue: 'coinbase',
      market: context.market,
      symbol: state.symbol,
      venueSymbol: productId,
      exchangeTime: time,
      receivedAt: context.receivedAt,
      bids: top.bids,
      asks: top.asks,
      sequence: null,
      // Every book event is the top `depth` levels of the synced book, so each replaces the last;
      // `isSnapshot` only says whether Coinbase sent a `snapshot` (true) or an `l2update` (false).
      isSnapshot,
    }
  }

  function resync(productId: string, market: Market, reason: string): void {
    const state = books.get(productId)
    if (state === undefined) return
    state.sync.reset()
    state.resyncing = true
    status('resyncing', reason, state.symbol, 'book')
    options.requestSnapshot?.(productId, market)
  }

  function resetBook(productId: string, why: string): void {
    const state = books.get(productId)
    if (state === undefined || (!state.sync.isSynced && !state.everSynced)) return
    state.sync.reset()
    state.resyncing = true
    status('resyncing', `${why}: waiting for a fresh snapshot`, state.symbol, 'book')
  }

  function onSnapshot(message: Record<string, unknown>, frame: string, context: DecodeContext): void {
    const parsed = parseCoinbaseSnapshot(message)
    if (!parsed.success) {
      emit(decodeErrorEvent(parsed.reason, frame, context))
      const productId = message.product_id
      if (typeof productId === 'string')
        resync(productId, context.market, `invalid snapshot: ${parsed.reason}`)
      return
    }
    const { productId, bids, asks } = parsed.value
    const symbol = symbolOf(productId, context.market)
    if (symbol === null) {
      emit(decodeErrorEvent(`snapshot for an unknown product ${productId}`, frame, context))
      return
    }
    let state = books.get(productId)
    if (state === undefined) {
      state = {
        sync: new BookSync<CoinbaseBookUpdate>({
          rule: ARRIVAL_ORDER,
          applyUpdate: applyCoinbaseUpdate,
          bufferUntilSnapshot: false,
        }),
        symbol,
        resyncing: false,
        everSynced: false,
      }
      books.set(productId, state)
    }
    state.sync.snapshot(bids as RawLevel[], asks as RawLevel[], null)
    if (state.resyncing || state.everSynced)
      status('open', 'book resynced from a fresh snapshot', symbol, 'book')
    state.resyncing = false
    state.everSynced = true
    emit(bookEvent(state, productId, context, parsed.value.time, true))
  }

  function onL2Update(message: Record<string, unknown>, frame: string, context: DecodeContext): void {
    const parsed = parseCoinbaseL2Update(message)
    if (!parsed.success) {
      emit(decodeErrorEvent(parsed.reason, frame, context))
      const productId = message.product_id
      // A lost update leaves the book wrong: take a fresh snapshot of that product.
      if (typeof productId === 'string')
        resync(productId, context.market, `invalid l2update: ${parsed.reason}`)
      return
    }
    const update = parsed.value
    const state = books.get(update.productId)
    if (state === undefined || !state.sync.isSynced) return
    state.sync.push(update)
    if (state.sync.book.isCrossed()) {
      resync(update.productId, context.market, 'the book crossed after an update (best bid >= best ask)')
      return
    }
    emit(bookEvent(state, update.productId, context, update.time, false))
  }

  function continuityOf(productId: string, market: Market): TradeContinuity | null {
    let continuity = trades.get(productId)
    if (continuity !== undefined) return continuity
    const symbol = symbolOf(productId, market)
    if (symbol === null) return null
    continuity = new TradeContinuity({
      productId,
      symbol,
      emit,
      onTrade: (trade) => onOrderedTrade(productId, trade),
      backfill: (id, fromId, toId) => backfillTrades(id, symbol, market, fromId, toId),
      maxPending: maxPendingTrades,
      backfillLimit,
    })
    trades.set(productId, continuity)
    return continuity
  }

  function onOrderedTrade(productId: string, trade: TradeEvent): void {
    const builders = candles.get(productId)
    if (builders === undefined) return
    for (const builder of builders.values()) builder.add(trade, candleOut)
    for (const candle of candleOut) emit(candle)
    candleOut.length = 0
  }

  /** REST `/products/{id}/trades`, newest first, paged to older trades with `after`. */
  async function backfillTrades(
    productId: string,
    symbol: string,
    market: Market,
    fromId: number,
    toId: number,
  ): Promise<TradeEvent[]> {
    const collected: TradeEvent[] = []
    let after = toId
    for (let page = 0; page < 20 && after > fromId + 1; page++) {
      const limit = Math.min(1000, after - fromId - 1)
      const response = await rest.get<RestTrade[]>(`/products/${productId}/trades`, { after, limit })
      const rows = Array.isArray(response.value) ? response.value : []
      if (rows.length === 0) break
      let oldest = after
      for (const row of rows) {
        const id = toNumber(row.trade_id)
        const price = toNumber(row.price)
        const amount = toNumber(row.size)
        if (!Number.isInteger(id) || !Number.isFinite(price) || !Number.isFinite(amount)) continue
        if (row.side !== 'buy' && row.side !== 'sell') continue
        if (id < oldest) oldest = id
        if (id <= fromId || id >= toId) continue
        collected.push({
          kind: 'trade',
          venue: 'coinbase',
          market,
          symbol,
          venueSymbol: productId,
          exchangeTime: parseCoinbaseTime(row.time),
          receivedAt: response.receivedAt,
          id: String(id),
          price,
          amount,
          // REST `side` is the maker's too.
          side: row.side === 'buy' ? 'sell' : 'buy',
        })
      }
      if (oldest >= after) break
      after = oldest
    }
    collected.sort((a, b) => Number(a.id) - Number(b.id))
    return collected
  }

  function onMatch(message: Record<string, unknown>, frame: string, context: DecodeContext): void {
    const events = decodeCoinbaseMessage(message, frame, context, tracker)
    for (const event of events) {
      if (event.kind !== 'trade') {
        emit(event)
        continue
      }
      const continuity = continuityOf(event.venueSymbol, context.market)
      if (continuity === null) continue
      if (message.type === 'last_match') continuity.baseline(event)
      else continuity.push(event)
    }
  }

  function onTicker(message: Record<string, unknown>, frame: string, context: DecodeContext): void {
    const productId = message.product_id
    const sequence = message.sequence
    if (typeof productId === 'string' && typeof sequence === 'number') {
      const last = tickerSequences.get(productId)
      // A ticker older than the last one is stale (the feed re-sent or reordered it).
      if (last !== undefined && sequence <= last) return
      tickerSequences.set(productId, sequence)
    }
    const events = decodeCoinbaseMessage(message, frame, context, tracker)
    for (const event of events) emit(event)
  }

  return {
    push(frame: string, market: Market, receivedAt: number): void {
      const context = contextOf(market, receivedAt)
      const parsed = safeParseJson<unknown>(frame)
      if (!parsed.success) {
        emit(decodeErrorEvent(`Invalid JSON: ${parsed.error.message}`, frame, context))
        return
      }
      const value = parsed.value
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        emit(decodeErrorEvent('Frame is not a JSON object', frame, context))
        return
      }
      const message = value as Record<string, unknown>
      try {
        switch (message.type) {
          case 'l2update':
            onL2Update(message, frame, context)
            return
          case 'snapshot':
            onSnapshot(message, frame, context)
            return
          case 'match':
          case 'last_match':
            onMatch(message, frame, context)
            return
          case 'ticker':
          case 'ticker_batch':
            onTicker(message, frame, context)
            return
          case 'heartbeat': {
            const productId = message.product_id
            const lastTradeId = message.last_trade_id
            if (typeof productId === 'string' && typeof lastTradeId === 'number') {
              trades.get(productId)?.heartbeat(lastTradeId)
            }
            return
          }
          case 'subscriptions':
            return
          default: {
            const events = decodeCoinbaseMessage(message, frame, context, tracker)
            for (const event of events) emit(event)
          }
        }
      } catch (error) {
        // The receive loop never throws: a bug here becomes an error event.
        emit(
          decodeErrorEvent(
            `Processing failed: ${error instanceof Error ? error.message : String(error)}`,
            frame,
            context,
          ),
        )
      }
    },
    reset(market: Market): void {
      // l2update has no sequence: after a reconnect every book waits for the fresh snapshot that
      // the resubscribe brings. Trade continuity survives: last_match tells what was missed.
      for (const productId of books.keys()) resetBook(productId, `reconnected (${market})`)
    },
    resetBook(productId: string): void {
      resetBook(productId, 'reconnected')
    },
    setBookDepth(value: number): void {
      if (Number.isInteger(value) && value > 0) depth = value
    },
    addCandles(productId: string, interval: CandleInterval): void {
      const symbol = symbolOf(productId, 'spot')
      if (symbol === null) return
      let builders = candles.get(productId)
      if (builders === undefined) {
        builders = new Map()
        candles.set(productId, builders)
      }
      if (!builders.has(interval)) builders.set(interval, new CandleBuilder(symbol, interval))
    },
    removeCandles(productId: string, interval: CandleInterval): void {
      const builders = candles.get(productId)
      builders?.delete(interval)
      if (builders?.size === 0) candles.delete(productId)
    },
    flushCandles(now: number): void {
      const receivedAt = nowMs()
      for (const builders of candles.values()) {
        for (const builder of builders.values()) {
          const candle = builder.flush(now, receivedAt)
          if (candle !== null) emit(candle)
        }
      }
    },
    forgetTrades(productId: string): void {
      trades.get(productId)?.close()
      trades.delete(productId)
    },
    forgetBook(productId: string): void {
      books.delete(productId)
    },
    book(productId: string) {
      const state = books.get(productId)
      return state?.sync.isSynced ? state.sync.book : null
    },
    close(): void {
      for (const continuity of trades.values()) continuity.close()
      trades.clear()
      books.clear()
      candles.clear()
      tracker.clear()
    },
  }
}

function applyCoinbaseUpdate(book: BookSync<CoinbaseBookUpdate>['book'], update: CoinbaseBookUpdate): void {
  book.applyLevels('bid', update.bids)
  book.applyLevels('ask', update.asks)
}
