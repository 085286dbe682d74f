import type { MarketEvent } from '../events'
import { nowMs } from '../events'
import type { VenueId } from '../venues'

export interface EventStreamOptions {
  venue: VenueId
  /** Events buffered for a slow async-iterator consumer before the oldest are dropped. Default 10 000. */
  highWaterMark?: number
}

/**
 * A bounded fan-out point: callbacks get every event synchronously; async iterators get a bounded
 * buffer each. A consumer that falls behind loses the oldest events and then receives an `error`
 * event saying how many, so memory never grows without bound and nothing is lost silently.
 */
export class EventStream implements AsyncIterable<MarketEvent> {
  private readonly listeners = new Set<(event: MarketEvent) => void>()
  private readonly iterators = new Set<IteratorState>()
  private closed = false
  private readonly highWaterMark: number
  private readonly venue: VenueId

  constructor(options: EventStreamOptions) {
    this.venue = options.venue
    this.highWaterMark = options.highWaterMark ?? 10_000
  }

  get isClosed(): boolean {
    return this.closed
  }

  on(listener: (event: MarketEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  push(event: MarketEvent): void {
    if (this.closed) return
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch {
        // A user callback that throws must not break the receive loop or other listeners.
      }
    }
    for (const state of this.iterators) state.enqueue(event)
  }

  /** Ends every iterator (after it drains what is buffered). */
  close(): void {
    if (this.closed) return
    this.closed = true
    for (const state of this.iterators) state.end()
    this.listeners.clear()
  }

  [Symbol.asyncIterator](): AsyncIterator<MarketEvent> {
    const state = new IteratorState(this.highWaterMark, this.venue, () => this.iterators.delete(state))
    if (this.closed) state.end()
    else this.iterators.add(state)
    return state
  }
}

class IteratorState implements AsyncIterator<MarketEvent> {
  // A ring buffer: push/shift in O(1) without reallocating on the hot path.
  private readonly buffer: (MarketEvent | undefined)[]
  private head = 0
  private size = 0
  private dropped = 0
  private ended = false
  private waiting: ((result: IteratorResult<MarketEvent>) => void) | null = null

  constructor(
    private readonly capacity: number,
    private readonly venue: VenueId,
    private readonly detach: () => void,
  ) {
    this.buffer = new Array(capacity)
  }

  enqueue(event: MarketEvent): void {
    if (this.ended) return
    if (this.waiting) {
      const resolve = this.waiting
      this.waiting = null
      resolve({ value: event, done: false })
      return
    }
    if (this.size === this.capacity) {
      this.head = (this.head + 1) % this.capacity
      this.size--
      this.dropped++
    }
    this.buffer[(this.head + this.size) % this.capacity] = event
    this.size++
  }

  end(): void {
    this.ended = true
    if (this.waiting && this.size === 0) {
      const resolve = this.waiting
      this.waiting = null
      resolve({ value: undefined, done: true })
    }
  }

  next(): Promise<IteratorResult<MarketEvent>> {
    if (this.dropped > 0) {
      const count = this.dropped
      this.dropped = 0
      return Promise.resolve({ value: this.droppedEvent(count), done: false })
    }
    if (this.size > 0) {
      const event = this.buffer[this.head]!
      this.buffer[this.head] = undefined
      this.head = (this.head + 1) % this.capacity
      this.size--
      return Promise.resolve({ value: event, done: false })
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true })
    return new Promise((resolve) => {
      this.waiting = resolve
    })
  }

  return(): Promise<IteratorResult<MarketEvent>> {
    this.ended = true
    this.size = 0
    this.detach()
    if (this.waiting) {
      this.waiting({ value: undefined, done: true })
      this.waiting = null
    }
    return Promise.resolve({ value: undefined, done: true })
  }

  private droppedEvent(count: number): MarketEvent {
    return {
      kind: 'error',
      venue: this.venue,
      market: null,
      symbol: null,
      code: 'SLOW_CONSUMER',
      message: `Dropped the ${count} oldest events: the consumer fell more than ${this.capacity} events behind.`,
      hint: 'Consume faster, raise highWaterMark, or use callbacks (onEvent) which are never buffered.',
      raw: null,
      receivedAt: nowMs(),
    }
  }
}
