import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readFixture } from '../../../../test-support/fixtures'
import { ConfigError } from '../errors'
import { crc32Signed } from './crc32'
import { OrderBook } from './order-book'
import type { RawLevel } from './order-book-types'

interface ChecksumVector {
  bids?: string[][]
  asks?: string[][]
  check_string: string
  crc32_signed: number
}

const vectors = JSON.parse(readFixture('okx', 'derived_checksum_test_vectors.json')) as Record<
  string,
  ChecksumVector
>

function okxLevels(levels: string[][]): RawLevel[] {
  return levels.map((level) => [level[0]!, level[1]!] as const)
}

describe('OrderBook', () => {
  it('top() gives fresh arrays that share the tuples of unchanged levels and new tuples for changed ones', () => {
    const book = new OrderBook()
    book.applySnapshot(
      [
        ['100', '1'],
        ['99', '2'],
      ],
      [
        ['101', '3'],
        ['102', '4'],
      ],
    )
    const first = book.top(10)
    book.applyLevel('bid', '99', '5')
    book.applyLevel('ask', '100.5', '1')
    const second = book.top(10)
    expect(second.bids).not.toBe(first.bids)
    expect(second.bids[0]).toBe(first.bids[0])
    expect(second.bids[1]).toEqual([99, 5])
    expect(first.bids[1]).toEqual([99, 2])
    expect(second.asks).toEqual([
      [100.5, 1],
      [101, 3],
      [102, 4],
    ])
    expect(second.asks[1]).toBe(first.asks[0])
    // The same size spelled differently keeps the tuple; the values are equal either way.
    book.applyLevel('ask', '101', '3.0')
    expect(book.top(10).asks[1]).toBe(first.asks[0])
  })

  it('behaves as the README example says', () => {
    const book = new OrderBook({ maxDepth: 400 })
    book.applySnapshot([['30000.1', '2']], [['30000.5', '1']], 1001)
    expect(book.applyLevel('bid', '30000.2', '0.5')).toBe(true)
    expect(book.applyLevel('ask', '30000.5', '0')).toBe(true)
    expect(book.top(10)).toEqual({
      bids: [
        [30000.2, 0.5],
        [30000.1, 2],
      ],
      asks: [],
    })
  })

  it('keeps bids highest first and asks lowest first, whatever the snapshot order', () => {
    const book = new OrderBook()
    book.applySnapshot(
      [
        ['99', '1'],
        ['101', '2'],
        ['100', '3'],
      ],
      [
        ['105', '1'],
        ['102', '2'],
        ['103.5', '3'],
      ],
      7,
    )
    expect(book.top(10)).toEqual({
      bids: [
        [101, 2],
        [100, 3],
        [99, 1],
      ],
      asks: [
        [102, 2],
        [103.5, 3],
        [105, 1],
      ],
    })
    expect(book.sequence).toBe(7)
    expect(book.bestBid()).toEqual([101, 2])
    expect(book.bestAsk()).toEqual([102, 2])
    expect(book.bidCount).toBe(3)
    expect(book.askCount).toBe(3)
  })

  it('skips zero sizes in a snapshot and lets the last duplicate price win', () => {
    const book = new OrderBook()
    book.applySnapshot(
      [
        ['100', '1'],
        ['99', '0'],
        ['100.0', '4'],
      ],
      [],
    )
    expect(book.top(5).bids).toEqual([[100, 4]])
    expect(book.rawTop(5).bids).toEqual([['100.0', '4']])
    expect(book.sequence).toBeNull()
  })

  it('inserts, updates and deletes levels and reports whether the book changed', () => {
    const book = new OrderBook()
    expect(book.applyLevel('bid', '100', '1')).toBe(true)
    expect(book.applyLevel('bid', '100', '1')).toBe(false) // same size: no change
    expect(book.applyLevel('bid', '100', '2.5')).toBe(true)
    expect(book.applyLevel('bid', '100.5', '1')).toBe(true)
    expect(book.top(5).bids).toEqual([
      [100.5, 1],
      [100, 2.5],
    ])
    expect(book.applyLevel('bid', '100', '0')).toBe(true)
    expect(book.applyLevel('bid', '100', '0.00000000')).toBe(false) // already gone
    expect(book.applyLevel('ask', '200', '0')).toBe(false) // unknown price, zero size
    expect(book.top(5).bids).toEqual([[100.5, 1]])
  })

  it('treats two spellings of one price as the same level and keeps the latest strings', () => {
    const book = new OrderBook()
    book.applyLevel('ask', '30000.10', '1')
    expect(book.applyLevel('ask', '30000.1', '2')).toBe(true)
    expect(book.askCount).toBe(1)
    expect(book.rawTop(1).asks).toEqual([['30000.1', '2']])
    expect(book.applyLevel('ask', '3.0000e4', '0')).toBe(false) // 30000 is another price
    expect(book.applyLevel('ask', '30000.100', '0')).toBe(true)
    expect(book.askCount).toBe(0)
  })

  it('keeps adjacent tiny prices apart (no arithmetic on keys)', () => {
    const book = new OrderBook()
    const prices = ['0.00001231', '0.00001232', '0.00001233', '0.1', '0.2', '0.30000000000000004', '0.3']
    for (const price of prices) book.applyLevel('ask', price, '1')
    expect(book.askCount).toBe(prices.length)
    expect(book.top(10).asks.map((level) => level[0])).toEqual(prices.map(Number).sort((a, b) => a - b))
  })

  it('ignores malformed levels without throwing and counts them', () => {
    const book = new OrderBook()
    expect(book.applyLevel('bid', '', '1')).toBe(false)
    expect(book.applyLevel('bid', 'abc', '1')).toBe(false)
    expect(book.applyLevel('bid', '100', '-1')).toBe(false)
    expect(book.applyLevel('bid', '100', 'NaN')).toBe(false)
    book.applySnapshot([['x', '1']], [['101', '']])
    expect(book.rejectedLevels).toBe(6)
    expect(book.bidCount + book.askCount).toBe(0)
  })

  it('top(depth) copies only depth levels as fresh arrays', () => {
    const book = new OrderBook()
    for (let i = 1; i <= 300; i++) book.applyLevel('bid', String(i), '1')
    const top = book.top(3)
    expect(top.bids).toEqual([
      [300, 1],
      [299, 1],
      [298, 1],
    ])
    expect(top.asks).toEqual([])
    top.bids[0]![1] = 99
    expect(book.bestBid()).toEqual([300, 1])
    expect(book.top(0).bids).toEqual([])
    expect(book.top(1000).bids).toHaveLength(300)
  })

  it('truncate(depth) drops the worst levels of each side', () => {
    const book = new OrderBook()
    for (let i = 1; i <= 200; i++) {
      book.applyLevel('bid', String(i), '1')
      book.applyLevel('ask', String(1000 + i), '1')
    }
    book.truncate(5)
    expect(book.bidCount).toBe(5)
    expect(book.askCount).toBe(5)
    expect(book.top(10).bids.map((level) => level[0])).toEqual([200, 199, 198, 197, 196])
    expect(book.top(10).asks.map((level) => level[0])).toEqual([1001, 1002, 1003, 1004, 1005])
  })

  it('maxDepth keeps at most that many levels and ignores levels worse than a full side', () => {
    const book = new OrderBook({ maxDepth: 3 })
    book.applySnapshot(
      [
        ['1', '1'],
        ['2', '1'],
        ['3', '1'],
        ['4', '1'],
      ],
      [],
    )
    expect(book.top(10).bids.map((level) => level[0])).toEqual([4, 3, 2])
    expect(book.applyLevel('bid', '0.5', '1')).toBe(false)
    expect(book.applyLevel('bid', '5', '1')).toBe(true)
    expect(book.top(10).bids.map((level) => level[0])).toEqual([5, 4, 3])
    expect(book.maxDepth).toBe(3)
  })

  it('rejects an invalid maxDepth with a ConfigError', () => {
    expect(() => new OrderBook({ maxDepth: 0 })).toThrow(ConfigError)
    expect(() => new OrderBook({ maxDepth: 2.5 })).toThrow(/positive integer/)
  })

  it('detects a crossed book', () => {
    const book = new OrderBook()
    book.applyLevel('bid', '100', '1')
    book.applyLevel('ask', '101', '1')
    expect(book.isCrossed()).toBe(false)
    book.applyLevel('bid', '101', '1')
    expect(book.isCrossed()).toBe(true)
    book.applyLevel('bid', '101', '0')
    book.applyLevel('bid', '102', '1')
    expect(book.isCrossed()).toBe(true)
    book.clear()
    expect(book.isCrossed()).toBe(false)
    expect(book.bestBid()).toBeNull()
    expect(book.bestAsk()).toBeNull()
  })

  it('clear() empties both sides and forgets the sequence', () => {
    const book = new OrderBook()
    book.applySnapshot([['1', '1']], [['2', '1']], 5)
    book.clear()
    expect(book.sequence).toBeNull()
    expect(book.bidCount).toBe(0)
    expect(book.askCount).toBe(0)
    book.sequence = 9
    expect(book.sequence).toBe(9)
  })

  describe('OKX checksum', () => {
    it.each(['doc_example_1_more_than_25_levels', 'doc_example_2_less_than_25_levels'])(
      'reproduces %s from the book levels as received',
      (name) => {
        const vector = vectors[name]!
        const book = new OrderBook()
        book.applySnapshot(okxLevels(vector.bids!), okxLevels(vector.asks!), 1)
        expect(book.checksumString()).toBe(vector.check_string)
        expect(book.okxChecksum()).toBe(vector.crc32_signed)
      },
    )

    it('reproduces the real 2022 snapshot vector from its 25+25 levels', () => {
      const vector = vectors.real_snapshot_2022!
      const parts = vector.check_string.split(':')
      const bids: RawLevel[] = []
      const asks: RawLevel[] = []
      for (let i = 0; i < parts.length; i += 4) {
        bids.push([parts[i]!, parts[i + 1]!])
        asks.push([parts[i + 2]!, parts[i + 3]!])
      }
      const book = new OrderBook()
      // Deeper levels beyond 25 must not enter the checksum.
      book.applySnapshot([...bids, ['1', '1']], [...asks, ['99999', '1']], 1)
      expect(book.checksumString(25)).toBe(vector.check_string)
      expect(book.okxChecksum(25)).toBe(vector.crc32_signed)
    })

    it('continues with one side when the other runs out', () => {
      const book = new OrderBook()
      book.applySnapshot(
        [['10', '1']],
        [
          ['11', '2'],
          ['12', '3'],
        ],
      )
      expect(book.checksumString()).toBe('10:1:11:2:12:3')
      expect(book.okxChecksum()).toBe(crc32Signed('10:1:11:2:12:3'))
      book.clear()
      expect(book.checksumString()).toBe('')
      expect(book.okxChecksum()).toBe(0)
    })

    it('equals the CRC of the checksum string across chunk boundaries, depths and edits (property)', () => {
      const levelArb = fc.tuple(
        fc.integer({ min: 1, max: 5000 }).map((ticks) => (ticks / 4).toString()),
        fc.integer({ min: 0, max: 1000 }).map((lots) => (lots / 100).toFixed(2)),
      )
      fc.assert(
        fc.property(
          fc.array(levelArb, { maxLength: 300 }),
          fc.array(levelArb, { maxLength: 300 }),
          fc.array(fc.tuple(fc.boolean(), levelArb), { maxLength: 60 }),
          fc.integer({ min: 1, max: 200 }),
          (bids, asks, edits, depth) => {
            const book = new OrderBook()
            book.applySnapshot(bids, asks)
            for (const [isBid, [price, size]] of edits) book.applyLevel(isBid ? 'bid' : 'ask', price, size)
            for (const levels of [depth, 25]) {
              expect(book.okxChecksum(levels)).toBe(crc32Signed(book.checksumString(levels)))
            }
          },
        ),
        { numRuns: 200 },
      )
    })
  })

  it('matches a naive Map model under random inserts, updates and deletes (property)', () => {
    const priceArb = fc.integer({ min: 1, max: 400 }).map((ticks) => (ticks / 4).toString())
    const sizeArb = fc.oneof(
      fc.constant('0'),
      fc.integer({ min: 1, max: 1000 }).map((lots) => (lots / 100).toString()),
    )
    const opArb = fc.tuple(fc.constantFrom('bid' as const, 'ask' as const), priceArb, sizeArb)
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 600 }), fc.integer({ min: 1, max: 30 }), (ops, depth) => {
        const book = new OrderBook()
        const model = { bid: new Map<number, number>(), ask: new Map<number, number>() }
        for (const [side, price, size] of ops) {
          const map = model[side]
          const before = map.get(+price)
          const changed = book.applyLevel(side, price, size)
          if (+size === 0) map.delete(+price)
          else map.set(+price, +size)
          expect(changed).toBe(before !== map.get(+price))
        }
        const expectedBids = [...model.bid].sort((a, b) => b[0] - a[0]).slice(0, depth)
        const expectedAsks = [...model.ask].sort((a, b) => a[0] - b[0]).slice(0, depth)
        expect(book.top(depth)).toEqual({ bids: expectedBids, asks: expectedAsks })
        expect(book.bidCount).toBe(model.bid.size)
        expect(book.askCount).toBe(model.ask.size)
      }),
      { numRuns: 200 },
    )
  })

  it('stays correct on a 5000-level book with heavy churn (chunk splits and merges)', () => {
    const book = new OrderBook()
    const model = new Map<number, number>()
    let seed = 42
    const random = (): number => {
      // xorshift32: stays in 32-bit integers, so the sequence does not collapse like a float LCG would.
      seed ^= seed << 13
      seed ^= seed >>> 17
      seed ^= seed << 5
      return (seed >>> 0) / 4_294_967_296
    }
    for (let i = 0; i < 5000; i++) {
      book.applyLevel('ask', (10_000 + i / 10).toFixed(1), '1')
      model.set(10_000 + i / 10, 1)
    }
    for (let i = 0; i < 30_000; i++) {
      const price = +(10_000 + Math.floor(random() * 6000) / 10).toFixed(1)
      const size = random() < 0.5 ? 0 : Math.floor(random() * 100) + 1
      book.applyLevel('ask', price.toFixed(1), String(size))
      if (size === 0) model.delete(price)
      else model.set(price, size)
    }
    const expected = [...model].sort((a, b) => a[0] - b[0])
    expect(model.size).toBeGreaterThan(2000) // real churn: thousands of levels remain
    expect(model.size).toBeLessThan(6000)
    expect(book.askCount).toBe(model.size)
    expect(book.top(model.size).asks).toEqual(expected)
  })
})
