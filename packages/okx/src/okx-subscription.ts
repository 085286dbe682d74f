import {
  EventStream,
  type MarketEvent,
  type SubscribeRequest,
  type Subscription,
  type SubscriptionHandlers,
  type TickmeshError,
} from '@tickmesh/core'

/** One `subscribe()` call: a bounded event stream, the user's callbacks and what it routes. */
export class OkxSubscription implements Subscription {
  readonly id: string
  readonly request: Readonly<SubscribeRequest>
  readonly ready: Promise<void>
  /** Unified symbols this subscription covers (status/error events with a symbol go to these). */
  readonly symbols: ReadonlySet<string>
  /** Venue topics (`books:BTC-USDT`) and route keys, filled in once the symbols are resolved. */
  topics: string[] = []
  routeKeys: string[] = []
  private readonly stream: EventStream
  private readonly handlers: SubscriptionHandlers
  private readonly depth: number
  private settle!: { resolve: () => void; reject: (error: TickmeshError) => void }
  private closed = false

  constructor(
    id: string,
    request: SubscribeRequest,
    handlers: SubscriptionHandlers,
    highWaterMark: number,
    private readonly onUnsubscribe: (subscription: OkxSubscription) => Promise<void>,
    defaultDepth: number = Number.POSITIVE_INFINITY,
  ) {
    this.id = id
    this.request = Object.freeze({ ...request, symbols: [...request.symbols] })
    this.symbols = new Set(request.symbols)
    this.handlers = handlers
    this.depth = request.depth ?? defaultDepth
    this.stream = new EventStream({ venue: 'okx', highWaterMark })
    this.ready = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject }
    })
    // Nobody may await `ready`; the failure is also delivered as an error event and onError.
    this.ready.catch(() => undefined)
  }

  get isClosed(): boolean {
    return this.closed
  }

  resolveReady(): void {
    this.settle.resolve()
  }

  /** Fails the subscription: `ready` rejects, onError and an `error` event tell the user. */
  fail(error: TickmeshError): void {
    this.settle.reject(error)
    this.deliverError(error)
  }

  deliverError(error: TickmeshError): void {
    try {
      this.handlers.onError?.(error)
    } catch {
      // A throwing user callback must not break the adapter.
    }
    this.deliver({
      kind: 'error',
      venue: 'okx',
      market: this.request.market ?? 'spot',
      symbol: null,
      code: error.code,
      message: error.shortMessage,
      hint: error.hint,
      raw: null,
      receivedAt: Date.now(),
    })
  }

  deliver(event: MarketEvent): void {
    if (this.closed) return
    let delivered = event
    if (event.kind === 'book' && (event.bids.length > this.depth || event.asks.length > this.depth)) {
      delivered = { ...event, bids: event.bids.slice(0, this.depth), asks: event.asks.slice(0, this.depth) }
    }
    try {
      if (delivered.kind === 'status') this.handlers.onStatus?.(delivered)
      this.handlers.onEvent?.(delivered)
    } catch {
      // A throwing user callback must not break the receive loop.
    }
    this.stream.push(delivered)
  }

  async unsubscribe(): Promise<void> {
    if (this.closed) return
    this.closed = true
    try {
      await this.onUnsubscribe(this)
    } finally {
      this.stream.close()
    }
  }

  /** Ends the stream without venue traffic (adapter close). */
  end(): void {
    this.closed = true
    this.stream.close()
  }

  [Symbol.asyncIterator](): AsyncIterator<MarketEvent> {
    return this.stream[Symbol.asyncIterator]()
  }
}
