/**
 * A fixed-capacity ring of numeric records stored column-wise in one Float64Array: pushing
 * overwrites the oldest record and never allocates.
 */
export class NumericRing {
  private readonly data: Float64Array
  private head = 0
  private length = 0

  constructor(
    readonly capacity: number,
    readonly columns: number,
  ) {
    this.data = new Float64Array(capacity * columns)
  }

  get size(): number {
    return this.length
  }

  /** Appends a record of up to four columns (the rest are left 0). */
  push(a: number, b = 0, c = 0, d = 0): void {
    const slot = (this.head + this.length) % this.capacity
    if (this.length === this.capacity) this.head = (this.head + 1) % this.capacity
    else this.length++
    const base = slot * this.columns
    const data = this.data
    data[base] = a
    if (this.columns > 1) data[base + 1] = b
    if (this.columns > 2) data[base + 2] = c
    if (this.columns > 3) data[base + 3] = d
  }

  /** Column `column` of the `index`-th oldest record (0 = oldest kept). */
  get(index: number, column: number): number {
    return this.data[((this.head + index) % this.capacity) * this.columns + column]!
  }

  /** Index of the first record whose column 0 (time) is >= `time`; `size` when none. */
  firstAtOrAfter(time: number): number {
    let low = 0
    let high = this.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (this.get(mid, 0) < time) low = mid + 1
      else high = mid
    }
    return low
  }

  clear(): void {
    this.head = 0
    this.length = 0
  }
}
