import { ConfigError } from '../errors'
import type { BookLevel } from '../events'
import { crc32 } from './crc32'
import type { BookSide, OrderBookOptions, OrderBookView, RawLevel } from './order-book-types'
import { parseWireDecimal } from './parse-decimal'

/*
 * Price keys are exact. A level is keyed by the double parsed from the venue's price string and the
 * key is only ever compared, never computed with (bids are stored under `-price`, and negation is
 * exact). IEEE 754 doubles round-trip every decimal of up to 15 significant digits, so two price
 * strings that denote different values never share a key, and two spellings of the same value
 * ("0.10" and "0.1") always do. Venue prices have far fewer than 15 significant digits.
 *
 * Each side is a list of sorted chunks of at most CHUNK_MAX levels (a one-level B-tree): finding a
 * level is two binary searches (O(log n)) and inserting or deleting moves at most CHUNK_MAX entries,
 * so a 5 000-level book never shifts the whole array the way a flat sorted array would.
 */

/** One price level; `rank` orders a side ascending (best first): -price for bids, price for asks. */
interface Level {
  rank: number
  price: number
  size: number
  rawPrice: string
  rawSize: string
  /**
   * The `[price, size]` tuple last handed out by `top()`, reused until the size changes: successive
   * book events share the tuples of unchanged levels instead of copying the whole top-N each time.
   */
  tuple: BookLevel | undefined
}

const CHUNK_MAX = 64
/** Between the fields of the OKX checksum string. */
const SEPARATOR = ':'
const CHUNK_HALF = CHUNK_MAX >>> 1

function compareRank(a: Level, b: Level): number {
  return a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0
}

/** Parses a wire decimal; NaN for empty or malformed text (`+''` would be 0). */
function parseDecimal(text: string): number {
  return text.length === 0 ? Number.NaN : parseWireDecimal(text)
}

/*
 * In-chunk moves by hand: `splice` allocates an array of the removed elements on every call, and a
 * chunk holds at most CHUNK_MAX + 1 levels, so the loop is short.
 */
function insertAt(chunk: Level[], index: number, level: Level): void {
  let i = chunk.length
  chunk.push(level)
  for (; i > index; i--) chunk[i] = chunk[i - 1]!
  chunk[index] = level
}

function removeAt(chunk: Level[], index: number): void {
  const last = chunk.length - 1
  for (let i = index; i < last; i++) chunk[i] = chunk[i + 1]!
  chunk.pop()
}

class SideLevels {
  chunks: Level[][] = []
  count = 0

  clear(): void {
    this.chunks = []
    this.count = 0
  }

  first(): Level | undefined {
    return this.chunks[0]?.[0]
  }

  /** Index of the chunk that holds, or would hold, `rank`. Requires at least one chunk. */
  private chunkIndex(rank: number): number {
    const chunks = this.chunks
    let lo = 0
    let hi = chunks.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const chunk = chunks[mid]!
      if (chunk[chunk.length - 1]!.rank < rank) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Sets a level's size, inserting it when new. Returns whether the side changed. */
  upsert(
    rank: number,
    price: number,
    size: number,
    rawPrice: string,
    rawSize: string,
    maxDepth: number,
  ): boolean {
    const chunks = this.chunks
    if (chunks.length === 0) {
      chunks.push([{ rank, price, size, rawPrice, rawSize, tuple: undefined }])
      this.count = 1
      return true
    }
    const chunkIndex = this.chunkIndex(rank)
    const chunk = chunks[chunkIndex]!
    let lo = 0
    let hi = chunk.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (chunk[mid]!.rank < rank) lo = mid + 1
      else hi = mid
    }
    const existing = chunk[lo]
    if (existing !== undefined && existing.rank === rank) {
      if (existing.rawSize === rawSize && existing.rawPrice === rawPrice) return false
      if (existing.size !== size) existing.tuple = undefined
      existing.size = size
      existing.rawSize = rawSize
      existing.rawPrice = rawPrice
      return true
    }
    // A full side ignores a level worse than its worst: it would be truncated at once.
    if (this.count >= maxDepth && lo === chunk.length && chunkIndex === chunks.length - 1) return false
    insertAt(chunk, lo, { rank, price, size, rawPrice, rawSize, tuple: undefined })
    this.count++
    if (chunk.length > CHUNK_MAX) chunks.splice(chunkIndex + 1, 0, chunk.splice(CHUNK_HALF))
    if (this.count > maxDepth) this.truncate(maxDepth)
    return true
  }

  /** Removes the level at `rank`. Returns whether it existed. */
  remove(rank: number): boolean {
    const chunks = this.chunks
    if (chunks.length === 0) return false
    const chunkIndex = this.chunkIndex(rank)
    const chunk = chunks[chunkIndex]!
    let lo = 0
    let hi = chunk.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (chunk[mid]!.rank < rank) lo = mid + 1
      else hi = mid
    }
    if (chunk[lo]?.rank !== rank) return false
    removeAt(chunk, lo)
    this.count--
    if (chunk.length === 0) {
      chunks.splice(chunkIndex, 1)
      return true
    }
    // Merge small neighbours so heavy deletion cannot leave many near-empty chunks behind.
    const next = chunks[chunkIndex + 1]
    if (next !== undefined && chunk.length + next.length <= CHUNK_HALF) {
      for (let i = 0; i < next.length; i++) chunk.push(next[i]!)
      chunks.splice(chunkIndex + 1, 1)
    } else {
      const previous = chunks[chunkIndex - 1]
      if (previous !== undefined && chunk.length + previous.length <= CHUNK_HALF) {
        for (let i = 0; i < chunk.length; i++) previous.push(chunk[i]!)
        chunks.splice(chunkIndex, 1)
      }
    }
    return true
  }

  /** Replaces the side with levels already sorted best first and free of duplicates. */
  load(levels: Level[]): void {
    this.chunks = []
    for (let start = 0; start < levels.length; start += CHUNK_HALF) {
      this.chunks.push(levels.slice(start, start + CHUNK_HALF))
    }
    this.count = levels.length
  }

  /** Drops levels beyond `depth` (the worst ones). */
  truncate(depth: number): void {
    const chunks = this.chunks
    while (this.count > depth) {
      const last = chunks[chunks.length - 1]!
      const excess = this.count - depth
      if (last.length <= excess) {
        chunks.pop()
        this.count -= last.length
      } else {
        last.length -= excess
        this.count -= excess
      }
    }
  }

  /**
   * The best `depth` levels in a fresh array. A level's `[price, size]` tuple is created once and
   * shared until its size changes, so a book event costs one array plus the changed levels.
   */
  top(depth: number): BookLevel[] {
    const out: BookLevel[] = []
    const chunks = this.chunks
    for (let c = 0; c < chunks.length && out.length < depth; c++) {
      const chunk = chunks[c]!
      for (let i = 0; i < chunk.length && out.length < depth; i++) {
        const level = chunk[i]!
        let tuple = level.tuple
        if (tuple === undefined) {
          tuple = [level.price, level.size]
          level.tuple = tuple
        }
        out.push(tuple)
      }
    }
    return out
  }

  /** The best `depth` levels as the strings received. */
  rawTop(depth: number): RawLevel[] {
    const out: RawLevel[] = []
    const chunks = this.chunks
    for (let c = 0; c < chunks.length && out.length < depth; c++) {
      const chunk = chunks[c]!
      for (let i = 0; i < chunk.length && out.length < depth; i++) {
        const level = chunk[i]!
        out.push([level.rawPrice, level.rawSize])
      }
    }
    return out
  }
}

/**
 * A price-level order book fed with the venue's price/size strings. Bids are kept best (highest)
 * first, asks best (lowest) first; a zero size deletes a level. The raw strings are kept so venue
 * checksums can be computed exactly as the venue does. Levels that are not valid decimals (or a
 * negative size) are ignored and counted in `rejectedLevels`, so the receive loop never throws.
 */
export class OrderBook implements OrderBookView {
  /** The venue sequence/update id the book reflects; null before the first snapshot. */
  sequence: number | null = null
  /** Levels kept per side (Infinity when unlimited). */
  readonly maxDepth: number
  /** Levels ignored because their price or size was not a valid decimal. */
  rejectedLevels = 0
  private readonly bids = new SideLevels()
  private readonly asks = new SideLevels()

  constructor(options: OrderBookOptions = {}) {
    const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY
    if (!(maxDepth >= 1) || (Number.isFinite(maxDepth) && !Number.isInteger(maxDepth))) {
      throw new ConfigError(`OrderBook maxDepth must be a positive integer, got ${String(maxDepth)}.`, {
        hint: 'Pass maxDepth: 1 or more, or leave it out to keep every level.',
        details: { maxDepth },
      })
    }
    this.maxDepth = maxDepth
  }

  get bidCount(): number {
    return this.bids.count
  }

  get askCount(): number {
    return this.asks.count
  }

  /** Replaces the whole book. Levels may come in any order; zero sizes are skipped; the last of duplicate prices wins. */
  applySnapshot(bids: readonly RawLevel[], asks: readonly RawLevel[], sequence: number | null = null): void {
    this.loadSide(this.bids, bids, -1)
    this.loadSide(this.asks, asks, 1)
    this.sequence = sequence
  }

  /** Sets one level: zero size deletes, an unknown price inserts. Returns whether the book changed. */
  applyLevel(side: BookSide, price: string, size: string): boolean {
    const priceValue = parseDecimal(price)
    const sizeValue = parseDecimal(size)
    if (!Number.isFinite(priceValue) || !Number.isFinite(sizeValue) || sizeValue < 0) {
      this.rejectedLevels++
      return false
    }
    const levels = side === 'bid' ? this.bids : this.asks
    const rank = side === 'bid' ? -priceValue : priceValue
    if (sizeValue === 0) return levels.remove(rank)
    return levels.upsert(rank, priceValue, sizeValue, price, size, this.maxDepth)
  }

  /** Applies a list of levels of one side. Returns how many changed the book. */
  applyLevels(side: BookSide, levels: readonly RawLevel[]): number {
    let changed = 0
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i]!
      if (this.applyLevel(side, level[0], level[1])) changed++
    }
    return changed
  }

  /** Empties the book and forgets its sequence (before a resync). */
  clear(): void {
    this.bids.clear()
    this.asks.clear()
    this.sequence = null
  }

  /** Drops levels beyond `depth` on each side now. */
  truncate(depth: number): void {
    this.bids.truncate(depth)
    this.asks.truncate(depth)
  }

  bestBid(): BookLevel | null {
    const level = this.bids.first()
    return level === undefined ? null : [level.price, level.size]
  }

  bestAsk(): BookLevel | null {
    const level = this.asks.first()
    return level === undefined ? null : [level.price, level.size]
  }

  /** Fresh arrays of shared tuples: treat the tuples as immutable (copy one before changing it). */
  top(depth: number): { bids: BookLevel[]; asks: BookLevel[] } {
    return { bids: this.bids.top(depth), asks: this.asks.top(depth) }
  }

  /** The top `depth` levels per side as the strings received. */
  rawTop(depth: number): { bids: RawLevel[]; asks: RawLevel[] } {
    return { bids: this.bids.rawTop(depth), asks: this.asks.rawTop(depth) }
  }

  isCrossed(): boolean {
    const bid = this.bids.first()
    const ask = this.asks.first()
    return bid !== undefined && ask !== undefined && bid.price >= ask.price
  }

  /**
   * The OKX checksum input: the first `levels` bids and asks interleaved as
   * `bidPx:bidSz:askPx:askSz:…` from the strings as received; when one side runs out the other
   * continues alone.
   */
  checksumString(levels = 25): string {
    const bids = this.bids.rawTop(levels)
    const asks = this.asks.rawTop(levels)
    const parts: string[] = []
    const rows = Math.max(bids.length, asks.length)
    for (let i = 0; i < rows; i++) {
      const bid = bids[i]
      if (bid !== undefined) parts.push(bid[0], bid[1])
      const ask = asks[i]
      if (ask !== undefined) parts.push(ask[0], ask[1])
    }
    return parts.join(':')
  }

  /**
   * CRC-32 of `checksumString(levels)` as a signed int32, as OKX publishes it. Runs the CRC over the
   * level strings and separators as it walks both sides, so no string or array is built per message.
   */
  okxChecksum(levels = 25): number {
    const bidChunks = this.bids.chunks
    const askChunks = this.asks.chunks
    let bidChunk = 0
    let bidIndex = 0
    let askChunk = 0
    let askIndex = 0
    let crc = 0
    let first = true
    for (let row = 0; row < levels; row++) {
      let bid: Level | undefined
      while (bidChunk < bidChunks.length) {
        const chunk = bidChunks[bidChunk]!
        if (bidIndex < chunk.length) {
          bid = chunk[bidIndex++]
          break
        }
        bidChunk++
        bidIndex = 0
      }
      let ask: Level | undefined
      while (askChunk < askChunks.length) {
        const chunk = askChunks[askChunk]!
        if (askIndex < chunk.length) {
          ask = chunk[askIndex++]
          break
        }
        askChunk++
        askIndex = 0
      }
      if (bid === undefined && ask === undefined) break
      if (bid !== undefined) {
        crc = crc32(bid.rawSize, crc32(SEPARATOR, crc32(bid.rawPrice, first ? crc : crc32(SEPARATOR, crc))))
        first = false
      }
      if (ask !== undefined) {
        crc = crc32(ask.rawSize, crc32(SEPARATOR, crc32(ask.rawPrice, first ? crc : crc32(SEPARATOR, crc))))
        first = false
      }
    }
    return crc | 0
  }

  private loadSide(side: SideLevels, raw: readonly RawLevel[], sign: 1 | -1): void {
    const parsed: Level[] = []
    for (let i = 0; i < raw.length; i++) {
      const [rawPrice, rawSize] = raw[i]!
      const price = parseDecimal(rawPrice)
      const size = parseDecimal(rawSize)
      if (!Number.isFinite(price) || !Number.isFinite(size) || size < 0) {
        this.rejectedLevels++
        continue
      }
      if (size === 0) continue
      parsed.push({ rank: sign * price, price, size, rawPrice, rawSize, tuple: undefined })
    }
    parsed.sort(compareRank) // stable, so among equal prices the last received stays last
    const unique: Level[] = []
    for (let i = 0; i < parsed.length; i++) {
      const level = parsed[i]!
      const next = parsed[i + 1]
      if (next === undefined || next.rank !== level.rank) unique.push(level)
    }
    if (unique.length > this.maxDepth) unique.length = this.maxDepth
    side.load(unique)
  }
}
