import type {
  BookEvent,
  FrameProcessor,
  FrameProcessorOptions,
  Market,
  MarketEvent,
  StatusEvent,
  TickerEvent,
} from '@tickmesh/core'
import { BookSync, nowMs, safeParseJson } from '@tickmesh/core'
import { bybitSequenceRule } from './bybit-sequence-rule'
import { decodeBybitMessage, topicFamily } from './decode/decode-bybit'
import type { BybitBookFrame } from './decode/decode-bybit-orderbook'
import { parseBybitBook, pushBybitBbo } from './decode/decode-bybit-orderbook'
import { mergeTicker, parseBybitTicker } from './decode/decode-bybit-ticker'
import type { DecodeScope } from './decode/decode-scope'
import { decodeErrorEvent, isRecord } from './decode/decode-scope'

export interface BybitFrameProcessorOptions extends FrameProcessorOptions {
  /**
   * A book topic lost its sequence (a gap): the adapter resubscribes it (unsubscribe + subscribe) to
   * get a fresh snapshot. Replay has no socket and leaves this out.
   */
  onResync?: (market: Market, topic: string) => void
  /** Book events with the depth of the topic they came from, instead of `emit` (the adapter routes by depth). */
  emitBook?: (event: BookEvent, topicDepth: number) => void
}

export interface BybitFrameProcessor extends FrameProcessor {
  /** A connection carrying these topics dropped: their books wait for the snapshot after the replay. */
  resetTopics(market: Market, topics: Iterable<string>): void
}

interface BookState {
  topic: string
  market: Market
  depth: number
  sync: BookSync<BybitBookFrame>
  symbol: string
  venueSymbol: string
  /** Waiting for a snapshot after a gap or a reconnect: the next snapshot emits status `open`. */
  resyncing: boolean
}

/**
 * The stateful pipeline behind the Bybit adapter, without sockets: decode, per-topic book sync by
 * `u`, and merged linear tickers (deltas only carry changed fields). `tickmesh replay` feeds it from
 * recordings exactly as the adapter feeds it from sockets.
 */
export function createBybitFrameProcessor(options: BybitFrameProcessorOptions): BybitFrameProcessor {
  const emit = options.emit
  // Per market, by topic / venue symbol: no key string is built per message.
  const books: Record<Market, Map<string, BookState>> = {
    spot: new Map(),
    linear: new Map(),
    inverse: new Map(),
  }
  const tickers: Record<Market, Map<string, TickerEvent>> = {
    spot: new Map(),
    linear: new Map(),
    inverse: new Map(),
  }
  const out: MarketEvent[] = []
  // One scope, refilled per frame: decoders use it synchronously and keep no reference to it.
  const scope: { -readonly [K in keyof DecodeScope]: DecodeScope[K] } = {
    frame: '',
    market: 'spot',
    receivedAt: 0,
    symbolOf: undefined,
    out,
  }
  const symbolOf = options.symbolOf
  // One lookup function per market, made once: a closure per frame would be garbage per message.
  const symbolOfMarket: Record<Market, ((venueSymbol: string) => string | undefined) | undefined> = {
    spot: symbolLookup('spot'),
    linear: symbolLookup('linear'),
    inverse: symbolLookup('inverse'),
  }
  function symbolLookup(market: Market): ((venueSymbol: string) => string | undefined) | undefined {
    if (symbolOf === undefined) return undefined
    return (venueSymbol) => symbolOf(venueSymbol, market)
  }

  function safeEmit(event: MarketEvent): void {
    try {
      emit(event)
    } catch {
      // A throwing consumer must not break the receive loop.
    }
  }

  function flush(): void {
    for (let index = 0; index < out.length; index++) safeEmit(out[index] as MarketEvent)
    out.length = 0
  }

  function status(
    state: BookState,
    kind: 'resyncing' | 'open',
    reason: string,
    receivedAt: number,
  ): StatusEvent {
    return {
      kind: 'status',
      venue: 'bybit',
      market: state.market,
      state: kind,
      reason,
      symbol: state.symbol,
      channel: 'book',
      url: null,
      attempt: 0,
      receivedAt,
    }
  }

  function bookEvent(
    state: BookState,
    frame: BybitBookFrame,
    isSnapshot: boolean,
    receivedAt: number,
  ): BookEvent {
    const depth = Math.min(options.bookDepth ?? state.depth, state.depth)
    const top = state.sync.book.top(depth)
    return {
      kind: 'book',
      venue: 'bybit',
      market: state.market,
      symbol: state.symbol,
      venueSymbol: state.venueSymbol,
      exchangeTime: frame.exchangeTime,
      receivedAt,
      bids: top.bids,
      asks: top.asks,
      sequence: frame.updateId,
      isSnapshot,
    }
  }

  function emitBook(event: BookEvent, depth: number): void {
    if (options.emitBook === undefined) {
      safeEmit(event)
      return
    }
    try {
      options.emitBook(event, depth)
    } catch {
      // As above: the receive loop goes on.
    }
  }

  function onBook(
    topic: string,
    message: Record<string, unknown>,
    scope: DecodeScope,
    receivedAt: number,
  ): void {
    const frame = parseBybitBook(topic, message, scope)
    if (frame === null) return
    if (frame.depth === 1) {
      // orderbook.1 is a snapshot-only top of book: the bbo source for spot and linear.
      pushBybitBbo(frame, scope)
      return
    }
    const marketBooks = books[scope.market]
    let state = marketBooks.get(topic)
    if (state === undefined) {
      state = {
        topic,
        market: scope.market,
        depth: frame.depth,
        sync: new BookSync<BybitBookFrame>({
          rule: bybitSequenceRule,
          // Truncate after the whole delta, not per level: within one delta a better level can be
          // inserted before a deletion that keeps the old last level inside the venue's window.
          applyUpdate: (book, update) => {
            book.applyLevels('bid', update.bids)
            book.applyLevels('ask', update.asks)
            book.truncate(update.depth)
          },
          bufferUntilSnapshot: false,
        }),
        symbol: frame.symbol,
        venueSymbol: frame.venueSymbol,
        resyncing: false,
      }
      marketBooks.set(topic, state)
    }
    if (frame.isSnapshot || frame.updateId === 1) {
      // A snapshot, or u == 1 (the venue restarted), overwrites the book.
      state.sync.snapshot(frame.bids, frame.asks, frame.updateId)
      flush()
      if (state.resyncing) {
        state.resyncing = false
        safeEmit(status(state, 'open', `Book ${topic} resynced from a fresh snapshot.`, receivedAt))
      }
      emitBook(bookEvent(state, frame, true, receivedAt), state.depth)
      return
    }
    const wasSynced = state.sync.isSynced
    const sequenceBefore = state.sync.book.sequence
    const verdict = state.sync.push(frame)
    if (verdict === 'apply') {
      flush()
      emitBook(bookEvent(state, frame, false, receivedAt), state.depth)
      return
    }
    if (verdict !== 'gap' || !wasSynced) return
    // The book was cleared by the sync; nothing is applied until a fresh snapshot arrives.
    flush()
    state.resyncing = true
    safeEmit(
      decodeErrorEvent(
        `Bybit ${topic} skipped update ids: expected u ${(sequenceBefore ?? 0) + 1}, got ${frame.updateId}.`,
        scope.frame,
        scope.market,
        receivedAt,
        state.symbol,
        'SEQUENCE_GAP',
        'The book is resynced from a fresh snapshot; no update is applied out of order.',
      ),
    )
    safeEmit(
      status(state, 'resyncing', `Sequence gap on ${topic}; resubscribing for a fresh snapshot.`, receivedAt),
    )
    options.onResync?.(scope.market, topic)
  }

  function onTicker(message: Record<string, unknown>, scope: DecodeScope): void {
    const patch = parseBybitTicker(message, scope)
    if (patch === null) return
    const marketTickers = tickers[scope.market]
    const merged = mergeTicker(patch, marketTickers.get(patch.venueSymbol), scope)
    marketTickers.set(patch.venueSymbol, merged)
    out.push(merged)
  }

  function resetBook(state: BookState, reason: string): void {
    state.sync.reset()
    if (state.resyncing) return
    state.resyncing = true
    safeEmit(status(state, 'resyncing', reason, nowMs()))
  }

  return {
    push(frame: string, market: Market, receivedAt: number): void {
      const parsed = safeParseJson(frame)
      if (!parsed.success) {
        safeEmit(
          decodeErrorEvent(`Bybit frame is not JSON: ${parsed.error.message}`, frame, market, receivedAt),
        )
        return
      }
      const message = parsed.value
      scope.frame = frame
      scope.market = market
      scope.receivedAt = receivedAt
      scope.symbolOf = symbolOfMarket[market]
      if (!isRecord(message)) {
        safeEmit(decodeErrorEvent('Bybit frame is not a JSON object.', frame, market, receivedAt))
        return
      }
      try {
        const topic = message.topic
        const family = typeof topic === 'string' ? topicFamily(topic) : null
        if (family === 'orderbook') onBook(topic as string, message, scope, receivedAt)
        else if (family === 'tickers') onTicker(message, scope)
        else decodeBybitMessage(message, scope)
      } catch (error) {
        out.push(
          decodeErrorEvent(
            `Bybit frame processing failed: ${error instanceof Error ? error.message : String(error)}`,
            frame,
            market,
            receivedAt,
          ),
        )
      }
      flush()
    },

    reset(market: Market): void {
      for (const state of books[market].values()) {
        if (state.market === market)
          resetBook(state, `The ${market} connection was re-established; waiting for a fresh snapshot.`)
      }
      tickers[market].clear()
    },

    resetTopics(market: Market, topics: Iterable<string>): void {
      for (const topic of topics) {
        const state = books[market].get(topic)
        if (state !== undefined)
          resetBook(state, `The connection carrying ${topic} dropped; waiting for a fresh snapshot.`)
      }
    },
  }
}
