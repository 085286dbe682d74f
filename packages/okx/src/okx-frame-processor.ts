import {
  type BookLevel,
  BookSync,
  type FrameProcessor,
  type FrameProcessorOptions,
  type Market,
  type MarketEvent,
  type OrderBookView,
  safeParseJson,
  truncate,
} from '@tickmesh/core'
import { decodeOkxMessage } from './decode/decode-okx'
import {
  decodeErrorEvent,
  isRecord,
  type OkxDecodeContext,
  resolveInstrument,
} from './decode/okx-decode-context'
import {
  OKX_INCREMENTAL_BOOK_CHANNELS,
  type OkxBookUpdate,
  parseOkxBookMessage,
} from './decode/parse-okx-book'
import { OkxInstrumentCache } from './okx-instruments'
import { okxSequenceRule } from './okx-sequence-rule'
import { OKX_DEFAULT_REST_URL } from './okx-settings'

/** OKX's `books` channel holds 400 levels per side; the local book keeps at least that many. */
export const OKX_BOOK_LEVELS = 400
const CHECKSUM_LEVELS = 25
const MAX_PENDING_FRAMES = 100_000

export interface OkxFrameProcessorOptions extends FrameProcessorOptions {
  /** Base units per contract of a SWAP instId. Absent: the processor loads the instruments itself. */
  contractValueOf?: (instId: string) => number | undefined
  /**
   * A book needs a fresh snapshot (sequence gap or checksum mismatch). The adapter answers by
   * unsubscribing and subscribing that one arg; without it the book waits for the next snapshot.
   */
  onResync?: (instId: string, channel: string, reason: string) => void
}

export interface OkxFrameProcessor extends FrameProcessor {
  /** Forgets the books of these instIds (all when absent), e.g. after their connection dropped. */
  resetBooks(instIds?: Iterable<string>, reason?: string): void
  /** Drops a book for good (its subscription ended). */
  forgetBook(instId: string): void
  /** The local book of an instId, while synced. */
  book(instId: string): OrderBookView | undefined
}

interface BookState {
  sync: BookSync<OkxBookUpdate>
  channel: string
  /** Waiting for a snapshot after a gap, checksum mismatch or reset. */
  resyncing: boolean
}

function applyOkxUpdate(book: BookSync<OkxBookUpdate>['book'], update: OkxBookUpdate): void {
  book.applyLevels('bid', update.bids)
  book.applyLevels('ask', update.asks)
}

/**
 * The OKX pipeline without sockets: decodes every frame, keeps `books` in sync under OKX's
 * `seqId`/`prevSeqId` rule, verifies non-zero checksums, and emits normalized events. Each `book`
 * event carries the whole top `bookDepth` of the book after the change; `isSnapshot` is true when
 * OKX sent a snapshot (`action: "snapshot"`), false after an incremental update.
 */
export function createOkxFrameProcessor(options: OkxFrameProcessorOptions): OkxFrameProcessor {
  const emit = options.emit
  // OKX maintains a 400-level window; deeper levels are not kept up to date by the venue.
  const bookDepth = Math.min(options.bookDepth ?? OKX_BOOK_LEVELS, OKX_BOOK_LEVELS)
  // Keep twice the window: truncating at exactly 400 while an update is applied (new levels above,
  // deletions below) would drop levels that are still inside the venue's window.
  const keepDepth = OKX_BOOK_LEVELS * 2
  const books = new Map<string, BookState>()
  const out: MarketEvent[] = []
  let contractValueOf = options.contractValueOf
  let symbolOf: ((instId: string) => string | undefined) | undefined
  // Replay feeds recordings without an instruments cache: load it, holding frames meanwhile.
  let pending: { frame: string; market: Market; receivedAt: number }[] | null = null
  if (contractValueOf === undefined) {
    const cache = new OkxInstrumentCache({
      restUrl: options.restUrl ?? OKX_DEFAULT_REST_URL,
      ttlMs: Number.POSITIVE_INFINITY,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.onRaw ? { onRaw: options.onRaw } : {}),
    })
    pending = []
    Promise.all([cache.list('spot'), cache.list('linear')])
      .catch((error: unknown) => {
        emit({
          kind: 'error',
          venue: 'okx',
          market: null,
          symbol: null,
          code: 'REST_ERROR',
          message: `Could not load OKX instruments: ${error instanceof Error ? error.message : String(error)}`,
          hint: 'SWAP sizes stay in contracts until the instruments load.',
          raw: null,
          receivedAt: Date.now(),
        })
      })
      .finally(() => {
        contractValueOf = cache.contractValueOf
        symbolOf = cache.symbolOf
        const frames = pending ?? []
        pending = null
        for (const item of frames) processor.push(item.frame, item.market, item.receivedAt)
      })
  }
  const context: OkxDecodeContext = {
    market: 'spot',
    receivedAt: 0,
    symbolOf: (instId) => symbolOf?.(instId) ?? options.symbolOf?.(instId, context.market),
    contractValueOf: (instId) => contractValueOf?.(instId),
  }

  function flushOut(): void {
    for (let i = 0; i < out.length; i++) emit(out[i]!)
    out.length = 0
  }

  function status(instId: string, state: 'resyncing' | 'open', reason: string, receivedAt: number): void {
    const instrument = resolveInstrument(instId, context)
    emit({
      kind: 'status',
      venue: 'okx',
      market: instrument?.market ?? null,
      state,
      reason,
      symbol: instrument?.symbol ?? instId,
      channel: 'book',
      url: null,
      attempt: 0,
      receivedAt,
    })
  }

  function resync(instId: string, state: BookState, reason: string, receivedAt: number): void {
    state.sync.reset()
    if (!state.resyncing) {
      state.resyncing = true
      status(instId, 'resyncing', reason, receivedAt)
    }
    try {
      options.onResync?.(instId, state.channel, reason)
    } catch {
      // The adapter's hook must not break the receive loop.
    }
  }

  function emitBook(update: OkxBookUpdate, state: BookState, receivedAt: number): void {
    const instrument = resolveInstrument(update.instId, context)
    if (!instrument) return
    const top = state.sync.book.top(bookDepth)
    const scale = instrument.sizeScale
    if (scale !== 1) {
      // New tuples: the book shares its tuples between events, so they are never changed in place.
      scaleSizes(top.bids, scale)
      scaleSizes(top.asks, scale)
    }
    emit({
      kind: 'book',
      venue: 'okx',
      market: instrument.market,
      symbol: instrument.symbol,
      venueSymbol: instrument.instId,
      exchangeTime: update.ts,
      receivedAt,
      bids: top.bids,
      asks: top.asks,
      sequence: state.sync.book.sequence,
      isSnapshot: update.action === 'snapshot',
    })
  }

  function checksumFails(
    update: OkxBookUpdate,
    state: BookState,
    frame: string,
    receivedAt: number,
  ): boolean {
    if (update.checksum === 0) return false
    const computed = state.sync.book.okxChecksum(CHECKSUM_LEVELS)
    if (computed === update.checksum) return false
    const instrument = resolveInstrument(update.instId, context)
    emit({
      kind: 'error',
      venue: 'okx',
      market: instrument?.market ?? null,
      symbol: instrument?.symbol ?? update.instId,
      code: 'CHECKSUM_MISMATCH',
      message: `OKX ${update.instId} book checksum mismatch at seqId ${update.seqId}: venue ${update.checksum}, local ${computed}.`,
      hint: 'The book is being resynced from a fresh snapshot.',
      raw: truncate(frame, 512),
      receivedAt,
    })
    resync(update.instId, state, `checksum mismatch at seqId ${update.seqId}`, receivedAt)
    return true
  }

  function handleBook(update: OkxBookUpdate, frame: string, receivedAt: number): void {
    let state = books.get(update.instId)
    if (!state) {
      state = {
        sync: new BookSync<OkxBookUpdate>({
          rule: okxSequenceRule,
          applyUpdate: applyOkxUpdate,
          book: { maxDepth: keepDepth },
          bufferUntilSnapshot: false,
        }),
        channel: update.channel,
        resyncing: false,
      }
      books.set(update.instId, state)
    }
    if (update.action === 'snapshot') {
      state.sync.snapshot(update.bids, update.asks, update.seqId)
      if (checksumFails(update, state, frame, receivedAt)) return
      if (state.resyncing) {
        state.resyncing = false
        status(update.instId, 'open', 'book resynced from a fresh snapshot', receivedAt)
      }
      emitBook(update, state, receivedAt)
      return
    }
    // Updates before the (new) snapshot cannot be placed: OKX sends the snapshot on the stream.
    if (!state.sync.isSynced) return
    const expected = state.sync.book.sequence
    const verdict = state.sync.push(update)
    if (verdict === 'apply') {
      if (checksumFails(update, state, frame, receivedAt)) return
      // A heartbeat changes nothing: no event.
      if (update.bids.length > 0 || update.asks.length > 0) emitBook(update, state, receivedAt)
      return
    }
    if (verdict === 'gap') {
      const instrument = resolveInstrument(update.instId, context)
      emit({
        kind: 'error',
        venue: 'okx',
        market: instrument?.market ?? null,
        symbol: instrument?.symbol ?? update.instId,
        code: 'SEQUENCE_GAP',
        message: `OKX ${update.instId} book sequence gap: expected prevSeqId ${expected}, got ${update.prevSeqId} (seqId ${update.seqId}).`,
        hint: 'The book is being resynced from a fresh snapshot.',
        raw: truncate(frame, 512),
        receivedAt,
      })
      resync(
        update.instId,
        state,
        `sequence gap: expected prevSeqId ${expected}, got ${update.prevSeqId}`,
        receivedAt,
      )
    }
  }

  const processor: OkxFrameProcessor = {
    push(frame, market, receivedAt) {
      if (pending !== null) {
        if (pending.length < MAX_PENDING_FRAMES) pending.push({ frame, market, receivedAt })
        return
      }
      try {
        if (frame === 'pong') return
        context.market = market
        context.receivedAt = receivedAt
        const parsed = safeParseJson(frame)
        if (!parsed.success || !isRecord(parsed.value)) {
          emit(
            decodeErrorEvent(
              parsed.success
                ? 'Frame is not a JSON object.'
                : `Frame is not valid JSON: ${parsed.error.message}`,
              frame,
              context,
            ),
          )
          return
        }
        const message = parsed.value
        const arg = message.arg
        if (
          isRecord(arg) &&
          typeof arg.channel === 'string' &&
          OKX_INCREMENTAL_BOOK_CHANNELS.has(arg.channel)
        ) {
          const books = parseOkxBookMessage(message)
          if (!books.success) {
            emit(decodeErrorEvent(`${arg.channel}: ${books.error}.`, frame, context))
            return
          }
          for (const update of books.updates) handleBook(update, frame, receivedAt)
          return
        }
        decodeOkxMessage(message, frame, context, out)
        flushOut()
      } catch (error) {
        out.length = 0
        emit(decodeErrorEvent(`OKX frame processing failed: ${String(error)}`, frame, context))
      }
    },
    reset(market) {
      for (const [instId, state] of books) {
        const instrument = resolveInstrument(instId, context)
        if (instrument?.market === market) processor.resetBooks([instId])
        else if (!instrument) state.sync.reset()
      }
    },
    resetBooks(instIds, reason = 'connection re-established; waiting for a fresh snapshot') {
      const ids = instIds === undefined ? [...books.keys()] : instIds
      const at = Date.now()
      for (const instId of ids) {
        const state = books.get(instId)
        if (!state) continue
        state.sync.reset()
        if (!state.resyncing) {
          state.resyncing = true
          status(instId, 'resyncing', reason, at)
        }
      }
    },
    forgetBook(instId) {
      books.delete(instId)
    },
    book(instId) {
      const state = books.get(instId)
      return state?.sync.isSynced ? state.sync.book : undefined
    },
  }
  return processor
}

/** Contract sizes → base units, replacing each tuple (the book's tuples are shared, never mutated). */
function scaleSizes(levels: BookLevel[], scale: number): void {
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!
    levels[i] = [level[0], +(level[1] * scale).toPrecision(15)]
  }
}
