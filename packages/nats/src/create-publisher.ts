import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type JetStreamClient, jetstream, type PubAck } from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import { ConnectionError, type MarketEvent, type MarketEventKind, TickmeshError } from '@tickmesh/core'
import { Deque } from './deque'
import { DEFAULT_STREAM_NAME } from './ensure-stream'
import { type EventCodec, jsonCodec } from './event-codec'
import { messageIdOf } from './message-id'
import { type SpillSegment, SpillStore } from './spill-store'
import { DEFAULT_SUBJECT_PREFIX, subjectOf } from './subjects'

/**
 * What happens to an event of each kind when the queue is full (NATS slow or down):
 * `conflate` keeps only the latest pending event per subject (a book or ticker is a whole state, so
 * the latest replaces the older), `spill` writes it to a local file to be republished in order
 * (trades are never silently dropped), `drop` drops it and counts it.
 */
export type OverflowPolicy = 'conflate' | 'spill' | 'drop'

export const OVERFLOW_POLICIES: Readonly<Record<MarketEventKind, OverflowPolicy>> = {
  book: 'conflate',
  ticker: 'conflate',
  bbo: 'conflate',
  candle: 'conflate',
  trade: 'spill',
  gap: 'spill',
  order: 'spill',
  balance: 'spill',
  status: 'drop',
  error: 'drop',
}

export interface PublisherOptions {
  connection: NatsConnection
  /** First subject token (default `tickmesh`); must match the stream's subjects. */
  subjectPrefix?: string
  /** Only used to name the default spill directory (default `TICKMESH`). */
  stream?: string
  codec?: EventCodec
  /** Events waiting to be sent before the overflow policies apply (default 10 000). */
  maxQueued?: number
  /** Publishes awaiting the server's ack at once (default 512). */
  maxInFlight?: number
  /** How long to wait for an ack before retrying (default 5 000 ms). */
  ackTimeoutMs?: number
  /** Pause after a failed publish, doubling per failure up to `retryMaxDelayMs` (default 200 ms). */
  retryBaseDelayMs?: number
  /** Default 5 000 ms. */
  retryMaxDelayMs?: number
  /** Where trades spill (default `<tmpdir>/tickmesh-spill/<stream>`). One publisher per directory. */
  spillDir?: string
  /** Events per spill file (default 1 000). */
  spillSegmentEvents?: number
  /** Called for every event the server confirmed stored (metrics: latency from `receivedAt`). */
  onStored?: (event: MarketEvent, ack: PubAck) => void
  /** Publish failures, drops and spill problems, in words a user can act on. Never throws. */
  onError?: (error: TickmeshError) => void
}

export interface PublisherStats {
  /** Events waiting in memory. */
  queued: number
  inFlight: number
  /** Events the server stored. */
  stored: number
  /** Publishes the server recognized as duplicates by `Nats-Msg-Id` (not stored twice). */
  duplicates: number
  publishErrors: number
  /** Older pending events replaced by a newer one of the same subject, per kind. */
  conflated: Partial<Record<MarketEventKind, number>>
  /** Events dropped on overflow or on close, per kind. */
  dropped: Partial<Record<MarketEventKind, number>>
  /** Events written to the spill file, and read back for republishing. */
  spilled: number
  republished: number
  /** Events on disk waiting to be republished. */
  spillPending: number
  /** Events that could neither be sent nor spilled (disk failure), per kind. */
  lost: Partial<Record<MarketEventKind, number>>
}

export interface Publisher {
  /** Queues an event. Never throws and never blocks; see the overflow policies. */
  publish(event: MarketEvent): void
  stats(): PublisherStats
  /** Resolves true once everything queued and spilled is stored, false at the timeout. */
  flush(timeoutMs?: number): Promise<boolean>
  /**
   * Flushes (up to `flushTimeoutMs`, default 5 000), then stops. Trades not yet stored go to the spill
   * file for the next run. Does not close the connection (the caller owns it).
   */
  close(options?: { flushTimeoutMs?: number }): Promise<void>
}

interface Pending {
  event: MarketEvent
  subject: string
  policy: OverflowPolicy
  /** Subject (plus interval for candles) for conflation; null for other policies. */
  conflationKey: string | null
  payload: Uint8Array | null
  messageId: string | null
  segment: SpillSegment | null
  queued: boolean
}

/** Creates a JetStream publisher for tickmesh events; see `PublisherOptions`. */
export function createPublisher(options: PublisherOptions): Publisher {
  return new JetStreamPublisher(options)
}

class JetStreamPublisher implements Publisher {
  private readonly js: JetStreamClient
  private readonly connection: NatsConnection
  private readonly prefix: string
  private readonly codec: EventCodec
  private readonly maxQueued: number
  private readonly maxInFlight: number
  private readonly ackTimeoutMs: number
  private readonly retryBaseDelayMs: number
  private readonly retryMaxDelayMs: number
  private readonly spill: SpillStore
  private readonly spillSegmentEvents: number
  private readonly onStored: PublisherOptions['onStored']
  private readonly onError: PublisherOptions['onError']
  private readonly queue = new Deque<Pending>()
  private readonly latestByKey = new Map<string, Pending>()
  private readonly inFlight = new Set<Pending>()
  private readonly counters: PublisherStats = {
    queued: 0,
    inFlight: 0,
    stored: 0,
    duplicates: 0,
    publishErrors: 0,
    conflated: {},
    dropped: {},
    spilled: 0,
    republished: 0,
    spillPending: 0,
    lost: {},
  }
  private failureStreak = 0
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private closed = false
  private readonly publishOptions: { msgID: string; timeout: number }

  constructor(options: PublisherOptions) {
    this.connection = options.connection
    this.js = jetstream(options.connection)
    this.prefix = options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX
    this.codec = options.codec ?? jsonCodec
    this.maxQueued = Math.max(1, options.maxQueued ?? 10_000)
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 512)
    this.ackTimeoutMs = options.ackTimeoutMs ?? 5_000
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 200
    this.retryMaxDelayMs = options.retryMaxDelayMs ?? 5_000
    this.spillSegmentEvents = Math.max(1, Math.min(options.spillSegmentEvents ?? 1_000, this.maxQueued))
    this.spill = new SpillStore({
      directory: options.spillDir ?? join(tmpdir(), 'tickmesh-spill', options.stream ?? DEFAULT_STREAM_NAME),
      segmentEvents: this.spillSegmentEvents,
    })
    this.onStored = options.onStored
    this.onError = options.onError
    this.publishOptions = { msgID: '', timeout: this.ackTimeoutMs }
    // Trades left on disk by an earlier run go out first.
    this.pump()
  }

  publish(event: MarketEvent): void {
    if (this.closed) {
      this.count(this.counters.dropped, event.kind)
      return
    }
    const policy = OVERFLOW_POLICIES[event.kind]
    const subject = subjectOf(event, this.prefix)
    if (policy === 'spill') {
      // Once trades spill, later ones follow them through the file so their order is kept.
      if (this.spill.hasPending || this.queue.length >= this.maxQueued) {
        this.spillEvent(event)
        this.pump()
        return
      }
      this.enqueue(event, subject, policy, null, null)
    } else if (policy === 'conflate') {
      const key = event.kind === 'candle' ? `${subject}.${event.interval}` : subject
      if (this.queue.length >= this.maxQueued) {
        const older = this.latestByKey.get(key)
        if (older !== undefined) {
          older.event = event
          older.payload = null
          older.messageId = null
          this.count(this.counters.conflated, event.kind)
          return
        }
        // No pending state for this subject: queue it; the overshoot is bounded by the subject count.
      }
      this.enqueue(event, subject, policy, key, null)
    } else {
      if (this.queue.length >= this.maxQueued) {
        this.count(this.counters.dropped, event.kind)
        return
      }
      this.enqueue(event, subject, policy, null, null)
    }
    this.pump()
  }

  stats(): PublisherStats {
    return {
      ...this.counters,
      queued: this.queue.length,
      inFlight: this.inFlight.size,
      spillPending: this.spill.pendingEvents,
      conflated: { ...this.counters.conflated },
      dropped: { ...this.counters.dropped },
      lost: { ...this.counters.lost },
    }
  }

  async flush(timeoutMs = 5_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (this.queue.length > 0 || this.inFlight.size > 0 || this.spill.hasPending) {
      if (this.closed || Date.now() >= deadline) return false
      this.pump()
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    return true
  }

  async close(options: { flushTimeoutMs?: number } = {}): Promise<void> {
    if (this.closed) return
    if (!this.connection.isClosed()) await this.flush(options.flushTimeoutMs ?? 5_000)
    this.closed = true
    if (this.retryTimer !== null) clearTimeout(this.retryTimer)
    this.retryTimer = null
    // What the server has not confirmed: kinds that must not be lost go to disk for the next run.
    const unconfirmed = [...this.inFlight, ...this.queue.drain()]
    this.inFlight.clear()
    this.latestByKey.clear()
    for (const entry of unconfirmed) {
      if (entry.segment !== null) continue // Still in its spill file, which is kept.
      if (entry.policy === 'spill') this.spillEvent(entry.event)
      else this.count(this.counters.dropped, entry.event.kind)
    }
    this.spill.close()
  }

  private enqueue(
    event: MarketEvent,
    subject: string,
    policy: OverflowPolicy,
    conflationKey: string | null,
    segment: SpillSegment | null,
  ): void {
    const entry: Pending = {
      event,
      subject,
      policy,
      conflationKey,
      payload: null,
      messageId: null,
      segment,
      queued: true,
    }
    if (conflationKey !== null) this.latestByKey.set(conflationKey, entry)
    this.queue.push(entry)
  }

  private pump(): void {
    if (this.closed || this.retryTimer !== null) return
    this.refillFromSpill()
    while (this.inFlight.size < this.maxInFlight) {
      const entry = this.queue.shift()
      if (entry === undefined) break
      entry.queued = false
      if (entry.conflationKey !== null && this.latestByKey.get(entry.conflationKey) === entry) {
        this.latestByKey.delete(entry.conflationKey)
      }
      this.send(entry)
    }
  }

  /** Moves one spill file back into the queue when it fits, oldest first. */
  private refillFromSpill(): void {
    while (this.spill.hasPending && this.queue.length + this.spillSegmentEvents <= this.maxQueued) {
      const segment = this.spill.take()
      if (segment === null) return
      if (segment.unreadableLines > 0) {
        this.report(
          new ConnectionError(
            `${segment.unreadableLines} lines of the spill file ${segment.path} were unreadable.`,
            {
              isRetryable: false,
              hint: 'A crash can tear the last line of a spill file; the other events were republished.',
            },
          ),
        )
      }
      for (const event of segment.events) {
        this.counters.republished++
        this.enqueue(event, subjectOf(event, this.prefix), OVERFLOW_POLICIES[event.kind], null, segment)
      }
    }
  }

  private send(entry: Pending): void {
    if (entry.payload === null) entry.payload = this.codec.encode(entry.event)
    if (entry.messageId === null) entry.messageId = messageIdOf(entry.event)
    this.inFlight.add(entry)
    this.publishOptions.msgID = entry.messageId
    // The promise API needs a continuation per message; there is no callback form.
    this.js.publish(entry.subject, entry.payload, this.publishOptions).then(
      (ack) => this.stored(entry, ack),
      (error: unknown) => this.failed(entry, error),
    )
  }

  private stored(entry: Pending, ack: PubAck): void {
    if (!this.inFlight.delete(entry)) return
    if (ack.duplicate) this.counters.duplicates++
    else this.counters.stored++
    this.failureStreak = 0
    if (entry.segment !== null && --entry.segment.remaining === 0) this.spill.release(entry.segment)
    if (this.onStored !== undefined) {
      try {
        this.onStored(entry.event, ack)
      } catch {
        // A metrics callback must not stop publishing.
      }
    }
    this.pump()
  }

  private failed(entry: Pending, error: unknown): void {
    if (!this.inFlight.delete(entry)) return
    this.counters.publishErrors++
    this.failureStreak++
    if (this.failureStreak === 1 || this.failureStreak % 1_000 === 0) {
      const reason = error instanceof Error ? error.message : String(error)
      this.report(
        new ConnectionError(`Publishing to NATS failed (${this.failureStreak} in a row): ${reason}`, {
          cause: error,
          details: {
            subject: entry.subject,
            queued: this.queue.length,
            spillPending: this.spill.pendingEvents,
          },
          hint: /no responders|503/i.test(reason)
            ? 'No JetStream stream holds this subject: run the collector with stream setup, or check --stream.'
            : 'Events are buffered (books and tickers conflate, trades spill to disk) and retried; check the NATS server.',
        }),
      )
    }
    // A newer state of the same subject is already waiting: this one is obsolete.
    const newer = entry.conflationKey === null ? undefined : this.latestByKey.get(entry.conflationKey)
    if (newer !== undefined) this.count(this.counters.conflated, entry.event.kind)
    else {
      entry.queued = true
      if (entry.conflationKey !== null) this.latestByKey.set(entry.conflationKey, entry)
      this.queue.unshift(entry)
    }
    if (this.retryTimer === null && !this.closed) {
      const delay = Math.min(
        this.retryMaxDelayMs,
        this.retryBaseDelayMs * 2 ** Math.min(this.failureStreak - 1, 16),
      )
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null
        this.pump()
      }, delay)
    }
  }

  private spillEvent(event: MarketEvent): void {
    try {
      this.spill.append(event)
      this.counters.spilled++
    } catch (error) {
      this.count(this.counters.lost, event.kind)
      if (error instanceof TickmeshError) this.report(error)
    }
  }

  private count(counters: Partial<Record<MarketEventKind, number>>, kind: MarketEventKind): void {
    counters[kind] = (counters[kind] ?? 0) + 1
  }

  private report(error: TickmeshError): void {
    if (this.onError === undefined) return
    try {
      this.onError(error)
    } catch {
      // The reporter must not break publishing.
    }
  }
}
