import type { SimLevel } from '../sim-types'

// One side of a true book: prices kept sorted best first (keys ascending, bids negated), sizes in a map.
// 200–400 levels per side, so a binary search plus splice is cheap enough.

export class BookSide {
  readonly isBid: boolean
  private readonly keys: number[] = []
  private readonly sizes = new Map<number, number>()

  constructor(isBid: boolean) {
    this.isBid = isBid
  }

  get count(): number {
    return this.keys.length
  }

  /** Price of the level at `index` (0 = best), or undefined. */
  priceAt(index: number): number | undefined {
    const key = this.keys[index]
    return key === undefined ? undefined : this.isBid ? -key : key
  }

  best(): number | undefined {
    return this.priceAt(0)
  }

  worst(): number | undefined {
    return this.priceAt(this.keys.length - 1)
  }

  size(price: number): number {
    return this.sizes.get(price) ?? 0
  }

  /** Sets a level's absolute size; 0 removes it. */
  set(price: number, size: number): void {
    const key = this.isBid ? -price : price
    if (size <= 0) {
      if (!this.sizes.delete(price)) return
      const index = this.search(key)
      if (this.keys[index] === key) this.keys.splice(index, 1)
      return
    }
    if (!this.sizes.has(price)) this.keys.splice(this.search(key), 0, key)
    this.sizes.set(price, size)
  }

  /** Best first, at most `depth` levels. */
  levels(depth = Number.POSITIVE_INFINITY): SimLevel[] {
    const count = Math.min(depth, this.keys.length)
    const out: SimLevel[] = new Array(count)
    for (let index = 0; index < count; index++) {
      const price = this.priceAt(index) as number
      out[index] = [price, this.sizes.get(price) as number]
    }
    return out
  }

  private search(key: number): number {
    let low = 0
    let high = this.keys.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((this.keys[middle] as number) < key) low = middle + 1
      else high = middle
    }
    return low
  }
}
