import { ConfigError } from '../errors'
import { OrderBook } from './order-book'
import type { OrderBookOptions, RawLevel, SequenceRule, SequenceVerdict } from './order-book-types'

/** What `BookSync.push` did with an update: `buffered` while waiting for a snapshot. */
export type BookSyncResult = SequenceVerdict | 'buffered'

export interface BookSyncOptions<Update> {
  /** The venue's sequence rule (Binance U/u, Bybit u, OKX seqId/prevSeqId …). */
  rule: SequenceRule<Update>
  /** Applies an update's levels to the book, e.g. `book.applyLevels('bid', update.b)`. */
  applyUpdate: (book: OrderBook, update: Update) => void
  /** Options for the book this helper creates. */
  book?: OrderBookOptions
  /**
   * Keep updates that arrive before the snapshot and replay them after it (REST-snapshot venues such
   * as Binance). Venues whose snapshot arrives on the stream itself set false. Default true.
   */
  bufferUntilSnapshot?: boolean
  /** Updates buffered while waiting for a snapshot; the oldest are dropped beyond it. Default 10 000. */
  maxBuffered?: number
}

/**
 * Keeps a book in sync with a sequenced update stream: buffers updates until a snapshot, replays
 * them against it, applies in-order updates, skips stale ones and reports a gap (after which the
 * book is empty and the caller fetches or requests a new snapshot). Venue rules plug in as data.
 */
export class BookSync<Update> {
  readonly book: OrderBook
  /** Updates dropped because the pre-snapshot buffer was full. */
  droppedWhileBuffering = 0
  private readonly rule: SequenceRule<Update>
  private readonly applyUpdate: (book: OrderBook, update: Update) => void
  private readonly bufferUntilSnapshot: boolean
  private readonly maxBuffered: number
  private synced = false
  // Buffered updates live in `buffer[head…]`; a moving head makes dropping the oldest O(1).
  private buffer: (Update | undefined)[] = []
  private head = 0

  constructor(options: BookSyncOptions<Update>) {
    const maxBuffered = options.maxBuffered ?? 10_000
    if (!Number.isInteger(maxBuffered) || maxBuffered < 1) {
      throw new ConfigError(`BookSync maxBuffered must be a positive integer, got ${String(maxBuffered)}.`, {
        hint: 'Pass maxBuffered: 1 or more (the default is 10 000).',
        details: { maxBuffered },
      })
    }
    this.rule = options.rule
    this.applyUpdate = options.applyUpdate
    this.bufferUntilSnapshot = options.bufferUntilSnapshot ?? true
    this.maxBuffered = maxBuffered
    this.book = new OrderBook(options.book ?? {})
  }

  /** True between a snapshot and the next gap or reset. */
  get isSynced(): boolean {
    return this.synced
  }

  /** Updates waiting for a snapshot. */
  get bufferedCount(): number {
    return this.buffer.length - this.head
  }

  /**
   * Feeds one update. `apply`: applied; `skip`: stale, ignored; `gap`: the book was cleared and
   * needs a new snapshot (the update is kept for replay when buffering); `buffered`: no snapshot yet.
   */
  push(update: Update): BookSyncResult {
    if (!this.synced) {
      if (!this.bufferUntilSnapshot) return 'skip'
      this.enqueue(update)
      return 'buffered'
    }
    const verdict = this.step(update)
    if (verdict === 'gap' && this.bufferUntilSnapshot) this.enqueue(update)
    return verdict
  }

  /**
   * Loads a snapshot and replays the buffered updates against it. Returns `gap` when the buffer does
   * not connect to the snapshot (the book is cleared again; fetch a newer snapshot), else `apply`.
   */
  snapshot(bids: readonly RawLevel[], asks: readonly RawLevel[], sequence: number | null): 'apply' | 'gap' {
    this.book.applySnapshot(bids, asks, sequence)
    this.synced = true
    const pending = this.buffer
    const start = this.head
    this.buffer = []
    this.head = 0
    for (let i = start; i < pending.length; i++) {
      const update = pending[i]!
      if (this.step(update) === 'gap') {
        // Keep the updates from the gap on: they are newer than the snapshot and serve the next one.
        for (let j = i; j < pending.length; j++) this.enqueue(pending[j]!)
        return 'gap'
      }
    }
    return 'apply'
  }

  /** Forgets the book and any buffered updates; waits for a new snapshot (e.g. after a reconnect). */
  reset(): void {
    this.book.clear()
    this.synced = false
    this.buffer = []
    this.head = 0
  }

  private step(update: Update): SequenceVerdict {
    const verdict = this.rule.check(this.book.sequence, update)
    if (verdict === 'apply') {
      this.applyUpdate(this.book, update)
      this.book.sequence = this.rule.next(update)
    } else if (verdict === 'gap') {
      this.book.clear()
      this.synced = false
    }
    return verdict
  }

  private enqueue(update: Update): void {
    if (this.buffer.length - this.head >= this.maxBuffered) {
      this.buffer[this.head] = undefined // release the reference for GC
      this.head++
      this.droppedWhileBuffering++
      // Compact once the dead prefix is as long as the live part, keeping pushes amortized O(1).
      if (this.head >= this.maxBuffered) {
        this.buffer = this.buffer.slice(this.head)
        this.head = 0
      }
    }
    this.buffer.push(update)
  }
}
