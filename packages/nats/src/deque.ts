/**
 * A growable ring buffer with O(1) push/shift at both ends, so the publisher's queue never copies or
 * reallocates per message.
 */
export class Deque<T> {
  private items: (T | undefined)[]
  private head = 0
  private count = 0

  constructor(initialCapacity = 1024) {
    this.items = new Array(Math.max(16, initialCapacity))
  }

  get length(): number {
    return this.count
  }

  push(item: T): void {
    if (this.count === this.items.length) this.grow()
    this.items[(this.head + this.count) % this.items.length] = item
    this.count++
  }

  unshift(item: T): void {
    if (this.count === this.items.length) this.grow()
    this.head = (this.head - 1 + this.items.length) % this.items.length
    this.items[this.head] = item
    this.count++
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined
    const item = this.items[this.head]
    this.items[this.head] = undefined
    this.head = (this.head + 1) % this.items.length
    this.count--
    return item
  }

  /** Removes and returns every item, oldest first. */
  drain(): T[] {
    const out: T[] = []
    for (let item = this.shift(); item !== undefined; item = this.shift()) out.push(item)
    return out
  }

  private grow(): void {
    const grown: (T | undefined)[] = new Array(this.items.length * 2)
    for (let index = 0; index < this.count; index++) {
      grown[index] = this.items[(this.head + index) % this.items.length]
    }
    this.items = grown
    this.head = 0
  }
}
