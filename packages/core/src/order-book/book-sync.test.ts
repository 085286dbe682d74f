import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors'
import { BookSync } from './book-sync'
import type { RawLevel, SequenceRule } from './order-book-types'

// A Binance-style diff: first id U, last id u.
interface Diff {
  U: number
  u: number
  b: RawLevel[]
  a: RawLevel[]
}

const binanceRule: SequenceRule<Diff> = {
  check(sequence, diff) {
    if (sequence === null) return 'gap'
    if (diff.u <= sequence) return 'skip'
    return diff.U <= sequence + 1 ? 'apply' : 'gap'
  },
  next: (diff) => diff.u,
}

function createSync(options: { maxBuffered?: number; bufferUntilSnapshot?: boolean } = {}): BookSync<Diff> {
  return new BookSync<Diff>({
    rule: binanceRule,
    applyUpdate(book, diff) {
      book.applyLevels('bid', diff.b)
      book.applyLevels('ask', diff.a)
    },
    ...options,
  })
}

describe('BookSync', () => {
  it('buffers updates before the snapshot, skips stale ones and applies the rest', () => {
    const sync = createSync()
    expect(sync.push({ U: 1, u: 5, b: [['99', '9']], a: [] })).toBe('buffered')
    expect(sync.push({ U: 6, u: 10, b: [['100', '1']], a: [] })).toBe('buffered')
    expect(sync.push({ U: 11, u: 12, b: [], a: [['101', '2']] })).toBe('buffered')
    expect(sync.bufferedCount).toBe(3)
    expect(sync.isSynced).toBe(false)

    expect(sync.snapshot([['98', '1']], [['102', '1']], 8)).toBe('apply')
    expect(sync.isSynced).toBe(true)
    expect(sync.book.sequence).toBe(12)
    expect(sync.book.top(5)).toEqual({
      bids: [
        [100, 1],
        [98, 1],
      ],
      asks: [
        [101, 2],
        [102, 1],
      ],
    })
    expect(sync.push({ U: 13, u: 13, b: [['100', '0']], a: [] })).toBe('apply')
    expect(sync.push({ U: 10, u: 13, b: [['1', '1']], a: [] })).toBe('skip')
    expect(sync.book.bestBid()).toEqual([98, 1])
  })

  it('reports a gap, clears the book and keeps the update for the next snapshot', () => {
    const sync = createSync()
    sync.snapshot([['100', '1']], [], 10)
    expect(sync.push({ U: 13, u: 14, b: [['101', '1']], a: [] })).toBe('gap')
    expect(sync.isSynced).toBe(false)
    expect(sync.book.bidCount).toBe(0)
    expect(sync.book.sequence).toBeNull()
    expect(sync.bufferedCount).toBe(1)
    expect(sync.snapshot([['100', '1']], [], 12)).toBe('apply')
    expect(sync.book.sequence).toBe(14)
    expect(sync.book.bestBid()).toEqual([101, 1])
  })

  it('returns gap when the buffer does not connect to the snapshot and keeps the newer updates', () => {
    const sync = createSync()
    sync.push({ U: 20, u: 21, b: [], a: [] })
    sync.push({ U: 22, u: 23, b: [], a: [] })
    expect(sync.snapshot([['1', '1']], [], 10)).toBe('gap')
    expect(sync.isSynced).toBe(false)
    expect(sync.bufferedCount).toBe(2)
    expect(sync.snapshot([['1', '1']], [], 20)).toBe('apply')
    expect(sync.book.sequence).toBe(23)
  })

  it('bounds the pre-snapshot buffer, dropping the oldest updates', () => {
    const sync = createSync({ maxBuffered: 3 })
    for (let id = 1; id <= 10; id++) sync.push({ U: id, u: id, b: [['100', String(id)]], a: [] })
    expect(sync.bufferedCount).toBe(3)
    expect(sync.droppedWhileBuffering).toBe(7)
    expect(sync.snapshot([], [], 7)).toBe('apply')
    expect(sync.book.bestBid()).toEqual([100, 10])
  })

  it('skips updates before the snapshot when the venue sends snapshots on the stream', () => {
    const sync = createSync({ bufferUntilSnapshot: false })
    expect(sync.push({ U: 1, u: 2, b: [], a: [] })).toBe('skip')
    expect(sync.bufferedCount).toBe(0)
    sync.snapshot([], [], 2)
    expect(sync.push({ U: 5, u: 6, b: [], a: [] })).toBe('gap')
    expect(sync.bufferedCount).toBe(0)
  })

  it('reset() forgets book and buffer', () => {
    const sync = createSync()
    sync.snapshot([['1', '1']], [], 1)
    sync.reset()
    expect(sync.isSynced).toBe(false)
    expect(sync.book.bidCount).toBe(0)
    expect(() => new BookSync<Diff>({ rule: binanceRule, applyUpdate: () => {}, maxBuffered: 0 })).toThrow(
      ConfigError,
    )
  })
})
