/** What the user channel has told us about one of our orders so far. */
export interface TrackedOrder {
  productId: string
  side: 'buy' | 'sell'
  type: string
  clientOrderId: string | null
  price: number | null
  /** Original size in base units; null for market orders placed by funds. */
  amount: number | null
  filled: number
  /** Sum of price × size over fills, for the average price. */
  notional: number
}

/**
 * Per-order state for the `user` channel, whose messages are deltas (`received`, `match`, `done`):
 * cumulative `filled` and the average price need history. Bounded: finished orders are dropped and
 * the oldest entry is evicted beyond `maxOrders`.
 */
export class CoinbaseOrderTracker {
  private readonly orders = new Map<string, TrackedOrder>()

  constructor(private readonly maxOrders = 10_000) {}

  get size(): number {
    return this.orders.size
  }

  get(orderId: string): TrackedOrder | undefined {
    return this.orders.get(orderId)
  }

  set(orderId: string, order: TrackedOrder): void {
    if (!this.orders.has(orderId) && this.orders.size >= this.maxOrders) {
      const oldest = this.orders.keys().next()
      if (!oldest.done) this.orders.delete(oldest.value)
    }
    this.orders.set(orderId, order)
  }

  delete(orderId: string): void {
    this.orders.delete(orderId)
  }

  clear(): void {
    this.orders.clear()
  }
}
