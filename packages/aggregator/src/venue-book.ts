import type { BookLevel } from '@tickmesh/core'

/**
 * One side of one venue's L2 book in preallocated typed arrays, best first, at most `capacity`
 * levels. Prices are stored already converted into the group's quote currency.
 */
export class BookSideLevels {
  readonly prices: Float64Array
  readonly sizes: Float64Array
  count = 0

  constructor(
    readonly capacity: number,
    /** Bids sort high to low, asks low to high. */
    readonly descending: boolean,
    /** Multiplier into the group's quote currency (quote equivalence), fixed per venue slot. */
    readonly factor: number,
  ) {
    this.prices = new Float64Array(capacity)
    this.sizes = new Float64Array(capacity)
  }

  clear(): void {
    this.count = 0
  }

  /** Replaces the side with `levels` (any order; kept sorted and bounded); skips empty levels. */
  replace(levels: readonly BookLevel[]): void {
    const factor = this.factor
    this.count = 0
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i]!
      const size = level[1]
      if (!(size > 0)) continue
      this.set(level[0] * factor, size)
    }
  }

  private set(price: number, size: number): void {
    const at = this.search(price)
    if (at < this.count && this.prices[at] === price) {
      this.sizes[at] = size
      return
    }
    if (at >= this.capacity) return // worse than every kept level: the book is bounded
    const end = this.count < this.capacity ? this.count : this.capacity - 1
    this.prices.copyWithin(at + 1, at, end)
    this.sizes.copyWithin(at + 1, at, end)
    this.prices[at] = price
    this.sizes[at] = size
    if (this.count < this.capacity) this.count++
  }

  /** First index whose price is not better than `price`. */
  private search(price: number): number {
    let low = 0
    let high = this.count
    while (low < high) {
      const mid = (low + high) >>> 1
      const better = this.descending ? this.prices[mid]! > price : this.prices[mid]! < price
      if (better) low = mid + 1
      else high = mid
    }
    return low
  }
}

export class VenueBook {
  readonly bids: BookSideLevels
  readonly asks: BookSideLevels
  /** Local receive time of the last book event applied (ms). */
  updatedAt = Number.NEGATIVE_INFINITY

  constructor(depth: number, factor = 1) {
    this.bids = new BookSideLevels(depth, true, factor)
    this.asks = new BookSideLevels(depth, false, factor)
  }

  clear(): void {
    this.bids.clear()
    this.asks.clear()
    this.updatedAt = Number.NEGATIVE_INFINITY
  }
}
