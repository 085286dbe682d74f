// 2. Books: level updates/s applied to core's OrderBook at 25, 400, 1000 and 5000 levels per side,
// with the OKX checksum (top 25, CRC-32) verified after every message or not. The floor is a plain
// Map from price to size fed the same updates: what keeping levels costs with no ordering at all.
import { OrderBook, type RawLevel } from '@tickmesh/core'
import { markdownTable, ns, rate, ratio, verdict } from './format'
import { blackhole, interleave } from './measure'

export const BOOK_DEPTHS = [25, 400, 1000, 5000] as const
const LEVELS_PER_MESSAGE = 2

interface Delta {
  side: 'bid' | 'ask'
  level: RawLevel
}

interface Scenario {
  depth: number
  snapshotBids: RawLevel[]
  snapshotAsks: RawLevel[]
  deltas: Delta[]
}

/**
 * A book of `depth` levels per side on a 0.01 grid and a stream of venue-like deltas: most near the
 * top, some anywhere in the depth; size changes, deletions and re-insertions in the proportions that
 * keep the depth steady.
 */
function scenario(depth: number, updates: number, seed: number): Scenario {
  let state = seed
  const random = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
    return state / 2_147_483_648
  }
  const grid = Math.ceil(depth * 1.2)
  const present = { bid: new Uint8Array(grid), ask: new Uint8Array(grid) }
  const priceText = (side: 'bid' | 'ask', index: number): string =>
    (side === 'bid' ? 60_000 - index * 0.01 : 60_000.01 + index * 0.01).toFixed(2)
  const snapshotBids: RawLevel[] = []
  const snapshotAsks: RawLevel[] = []
  for (let i = 0; i < depth; i++) {
    present.bid[i] = 1
    present.ask[i] = 1
    snapshotBids.push([priceText('bid', i), (random() * 5 + 0.001).toFixed(5)])
    snapshotAsks.push([priceText('ask', i), (random() * 5 + 0.001).toFixed(5)])
  }
  const deltas: Delta[] = []
  for (let u = 0; u < updates; u++) {
    const side = random() < 0.5 ? 'bid' : 'ask'
    const index = random() < 0.7 ? Math.floor(random() * Math.min(20, grid)) : Math.floor(random() * grid)
    const exists = present[side][index] === 1
    let size: string
    if (exists && random() < 0.17) {
      size = '0'
      present[side][index] = 0
    } else {
      size = (random() * 5 + 0.001).toFixed(5)
      present[side][index] = 1
    }
    deltas.push({ side, level: [priceText(side, index), size] })
  }
  return { depth, snapshotBids, snapshotAsks, deltas }
}

export interface BookRow {
  depth: number
  floorNs: number
  plainNs: number
  checksumNs: number
}

export function runBookBench(options: { rounds: number; updates: number }): BookRow[] {
  const rows: BookRow[] = []
  for (const depth of BOOK_DEPTHS) {
    const data = scenario(depth, options.updates, depth)
    const fresh = (): OrderBook => {
      const book = new OrderBook()
      book.applySnapshot(data.snapshotBids, data.snapshotAsks, 0)
      return book
    }
    const freshMap = (): { bid: Map<number, number>; ask: Map<number, number> } => {
      const bid = new Map<number, number>()
      const ask = new Map<number, number>()
      for (const [price, size] of data.snapshotBids) bid.set(+price, +size)
      for (const [price, size] of data.snapshotAsks) ask.set(+price, +size)
      return { bid, ask }
    }
    const deltas = data.deltas
    // Books are rebuilt outside the timed loop: each round applies the same stream to a fresh copy.
    const books: OrderBook[] = []
    const maps: { bid: Map<number, number>; ask: Map<number, number> }[] = []
    const checksumBooks: OrderBook[] = []
    const total = options.rounds + 2
    for (let i = 0; i < total; i++) {
      books.push(fresh())
      checksumBooks.push(fresh())
      maps.push(freshMap())
    }
    let next = { floor: 0, plain: 0, checksum: 0 }
    const [floor, plain, checksum] = interleave(
      [
        {
          name: 'Map floor',
          run: () => {
            const map = maps[next.floor++]
            if (map === undefined) return 0
            for (let i = 0; i < deltas.length; i++) {
              const delta = deltas[i]!
              const side = delta.side === 'bid' ? map.bid : map.ask
              const price = +delta.level[0]
              const size = +delta.level[1]
              if (size === 0) side.delete(price)
              else side.set(price, size)
            }
            blackhole.value += map.bid.size
            return deltas.length
          },
        },
        {
          name: 'OrderBook',
          run: () => {
            const book = books[next.plain++]
            if (book === undefined) return 0
            for (let i = 0; i < deltas.length; i++) {
              const delta = deltas[i]!
              book.applyLevel(delta.side, delta.level[0], delta.level[1])
            }
            blackhole.value += book.bidCount
            return deltas.length
          },
        },
        {
          name: 'OrderBook + OKX checksum',
          run: () => {
            const book = checksumBooks[next.checksum++]
            if (book === undefined) return 0
            let sum = 0
            for (let i = 0; i < deltas.length; i++) {
              const delta = deltas[i]!
              book.applyLevel(delta.side, delta.level[0], delta.level[1])
              // OKX sends a checksum per message; a message here carries LEVELS_PER_MESSAGE levels.
              if (i % LEVELS_PER_MESSAGE === LEVELS_PER_MESSAGE - 1) sum += book.okxChecksum(25)
            }
            blackhole.value += sum
            return deltas.length
          },
        },
      ],
      { rounds: options.rounds, warmupRounds: 2 },
    )
    next = { floor: 0, plain: 0, checksum: 0 }
    if (floor === undefined || plain === undefined || checksum === undefined) continue
    rows.push({ depth, floorNs: floor.nsPerOp, plainNs: plain.nsPerOp, checksumNs: checksum.nsPerOp })
  }
  return rows
}

export function bookTable(rows: readonly BookRow[]): string {
  const base = rows[0]
  const table = markdownTable(
    [
      'levels/side',
      'Map floor',
      'OrderBook',
      'ratio',
      'updates/s',
      `+ OKX checksum (per ${LEVELS_PER_MESSAGE}-level msg)`,
      'growth vs 25',
      'log growth vs 25',
    ],
    rows.map((row) => [
      String(row.depth),
      ns(row.floorNs),
      ns(row.plainNs),
      ratio(row.plainNs / row.floorNs),
      rate(1e9 / row.plainNs),
      ns(row.checksumNs),
      base === undefined ? 'n/a' : ratio(row.plainNs / base.plainNs),
      base === undefined ? 'n/a' : ratio(Math.log(row.depth) / Math.log(base.depth)),
    ]),
  )
  const at400 = rows.find((row) => row.depth === 400)
  const deepest = rows[rows.length - 1]
  const goals: string[] = []
  if (at400 !== undefined) {
    goals.push(
      `- under 1 µs per update at 400 levels: ${ns(at400.plainNs)} → ${verdict(at400.plainNs < 1000)}`,
    )
  }
  if (base !== undefined && deepest !== undefined) {
    const growth = deepest.plainNs / base.plainNs
    const logGrowth = Math.log(deepest.depth) / Math.log(base.depth)
    goals.push(
      `- cost grows no faster than log(depth): ${base.depth}→${deepest.depth} levels cost ${ratio(growth)} (log bound ${ratio(logGrowth)}) → ${verdict(growth <= logGrowth)}`,
    )
  }
  return `${table}\n\n${goals.join('\n')}`
}
