import type {
  Instrument,
  Market,
  MarketEvent,
  SubscribeRequest,
  Subscription,
  SubscriptionHandlers,
  VenueAdapter,
  VenueId,
} from '@tickmesh/core'
import { EventStream, SubscriptionError } from '@tickmesh/core'

/** A scripted in-memory adapter for tests: `emit` pushes events as if they came off the wire. */
export class FakeAdapter implements VenueAdapter {
  readonly requests: SubscribeRequest[] = []
  readonly unsubscribed: string[] = []
  closed = false
  private readonly stream: EventStream
  private nextId = 0

  constructor(
    readonly venue: VenueId,
    private readonly refuse: ReadonlySet<string> = new Set(),
    /** A channel whose subscribe throws synchronously, as an adapter does for a channel it lacks. */
    private readonly throwOn: string | null = null,
  ) {
    this.stream = new EventStream({ venue })
  }

  subscribe(request: SubscribeRequest, _handlers?: SubscriptionHandlers): Subscription {
    if (request.channel === this.throwOn) {
      throw new SubscriptionError(`${this.venue} has no ${request.channel} channel.`, { venue: this.venue })
    }
    this.requests.push(request)
    const id = `${this.venue}-${this.nextId++}`
    const refused = request.symbols.find((symbol) => this.refuse.has(symbol))
    const ready =
      refused === undefined
        ? Promise.resolve()
        : Promise.reject(
            new SubscriptionError(`${refused} does not exist on ${this.venue}.`, { venue: this.venue }),
          )
    const stream = this.stream
    return {
      id,
      request,
      ready,
      unsubscribe: async () => {
        this.unsubscribed.push(id)
      },
      [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator](),
    }
  }

  onEvent(listener: (event: MarketEvent) => void): () => void {
    return this.stream.on(listener)
  }

  emit(event: MarketEvent): void {
    this.stream.push(event)
  }

  async instruments(_market?: Market): Promise<readonly Instrument[]> {
    return []
  }

  async close(): Promise<void> {
    this.closed = true
    this.stream.close()
  }
}
