import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerMessages,
  DeliverPolicy,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream'
import { type NatsConnection, nanos } from '@nats-io/transport-node'
import { ConfigError, ConnectionError, type MarketEvent, type TickmeshError } from '@tickmesh/core'
import { decodeMessage } from './decode-message'
import { DEFAULT_STREAM_NAME } from './ensure-stream'
import { type EventCodec, jsonCodec } from './event-codec'
import { DEFAULT_SUBJECT_PREFIX, type EventFilter, eventMatcher, filterSubject } from './subjects'

/** Where a delivered event came from. */
export interface Delivery {
  subject: string
  /** Position in the stream: unique per stored message, use it to make side effects idempotent. */
  streamSequence: number
  /** 1 on first delivery; more when a worker died or failed before acknowledging. */
  deliveryCount: number
  redelivered: boolean
}

export interface WorkerOptions {
  connection: NatsConnection
  /** The shared durable consumer: every worker with the same name splits the events (work queue). */
  durable: string
  /** Default `TICKMESH`. */
  stream?: string
  /** Events to work on (default: all); a string is a raw subject filter (`tickmesh.trade.>`). */
  filter?: EventFilter | string
  subjectPrefix?: string
  codec?: EventCodec
  /** Check each event against the full schema (default false: kind and venue only). */
  validate?: boolean
  /** Called once per delivery; the event is acknowledged when it resolves, retried when it throws. */
  handler: (event: MarketEvent, delivery: Delivery) => void | Promise<void>
  /** Unacknowledged events go to another worker after this long (default 30 000 ms). */
  ackWaitMs?: number
  /** Deliveries per event before the server gives up on it (default 10). */
  maxDeliver?: number
  /** Events handed out and not yet acknowledged, across all workers (default 1 000). */
  maxAckPending?: number
  /** Events pulled per request (default 100). */
  batchSize?: number
  /** Where a new consumer starts: every stored event (default) or only new ones. */
  deliverFrom?: 'all' | 'new'
  /**
   * Wait for the server to confirm each acknowledgement (default true). Then an event counted as done
   * is never delivered again; off is faster but a lost ack means one more delivery.
   */
  confirmAcks?: boolean
  /**
   * Called after the server confirmed the acknowledgement (with `confirmAcks`): the event is done and
   * will never be delivered again. Commit side effects here to process each event exactly once.
   */
  onAcknowledged?: (event: MarketEvent, delivery: Delivery) => void
  /** Delay before a failed event is redelivered (default 1 000 ms). */
  retryDelayMs?: number
  onError?: (error: TickmeshError) => void
}

export interface WorkerStats {
  /** Events handled and acknowledged. */
  acknowledged: number
  /** Handler failures (the event was handed back for redelivery). */
  failed: number
  /** Payloads that were not tickmesh events (terminated, never redelivered). */
  undecodable: number
  /** Deliveries that were redeliveries. */
  redeliveries: number
}

export interface Worker {
  /** Resolves when the consumer is bound and pulling. Rejects with a `ConnectionError`/`ConfigError`. */
  readonly ready: Promise<void>
  /** Resolves when the worker stopped (after `stop`, or when the connection closed). */
  readonly done: Promise<void>
  stats(): WorkerStats
  /** Stops pulling, finishes the event in hand and acknowledges it. */
  stop(): Promise<void>
}

/**
 * A work-queue worker: all workers sharing `durable` pull from one JetStream durable consumer, so each
 * stored event goes to exactly one of them, and an event a worker took but never acknowledged
 * (crash, kill) is redelivered to another after `ackWaitMs`.
 */
export function createWorker(options: WorkerOptions): Worker {
  if (!/^[A-Za-z0-9_-]+$/.test(options.durable)) {
    throw new ConfigError(`"${options.durable}" is not a valid consumer name.`, {
      hint: 'Use letters, digits, "-" and "_" only.',
    })
  }
  const stream = options.stream ?? DEFAULT_STREAM_NAME
  const prefix = options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX
  const filter = options.filter ?? {}
  const subject = typeof filter === 'string' ? filter : filterSubject(filter, prefix)
  const matches = typeof filter === 'string' ? null : eventMatcher(filter)
  const codec = options.codec ?? jsonCodec
  const validate = options.validate ?? false
  const confirmAcks = options.confirmAcks ?? true
  const retryDelayMs = options.retryDelayMs ?? 1_000
  const stats: WorkerStats = { acknowledged: 0, failed: 0, undecodable: 0, redeliveries: 0 }
  // Set by `ready`; a holder so the closures below see the assignment.
  const state: { messages: ConsumerMessages | null } = { messages: null }
  let stopping = false

  const report = (error: TickmeshError): void => {
    try {
      options.onError?.(error)
    } catch {
      // A reporter that throws must not stop the worker.
    }
  }

  const handle = async (message: JsMsg): Promise<void> => {
    const info = message.info
    if (message.redelivered) stats.redeliveries++
    const decoded = decodeMessage(codec, message.data, message.subject, validate)
    if (!decoded.success) {
      stats.undecodable++
      settle(() => message.term('not a tickmesh event'))
      report(decoded.error as TickmeshError)
      return
    }
    if (matches !== null && !matches(decoded.value)) {
      await acknowledge(message)
      return
    }
    const delivery: Delivery = {
      subject: message.subject,
      streamSequence: info.streamSequence,
      deliveryCount: info.deliveryCount,
      redelivered: message.redelivered,
    }
    try {
      await options.handler(decoded.value, delivery)
    } catch (error) {
      stats.failed++
      settle(() => message.nak(retryDelayMs))
      report(
        new ConnectionError(
          `The worker's handler failed on ${message.subject}; the event will be redelivered.`,
          {
            cause: error,
            isRetryable: true,
            details: { streamSequence: info.streamSequence, deliveryCount: info.deliveryCount },
            hint: `After ${options.maxDeliver ?? 10} deliveries the server gives up on the event: fix the handler.`,
          },
        ),
      )
      return
    }
    if (await acknowledge(message)) {
      stats.acknowledged++
      try {
        options.onAcknowledged?.(decoded.value, delivery)
      } catch {
        // The callback's failure is the caller's; the event is already acknowledged.
      }
    }
  }

  /** Sends an ack/nak/term; false when the connection is already gone (the server redelivers). */
  const settle = (send: () => void): boolean => {
    try {
      send()
      return true
    } catch {
      return false
    }
  }

  const acknowledge = async (message: JsMsg): Promise<boolean> => {
    if (!confirmAcks) return settle(() => message.ack())
    try {
      return await message.ackAck()
    } catch {
      // Not confirmed (connection lost): the server redelivers it to a live worker.
      return false
    }
  }

  const ready = (async () => {
    const jsm = await jetstreamManager(options.connection)
    const config: Partial<ConsumerConfig> = {
      durable_name: options.durable,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(options.ackWaitMs ?? 30_000),
      max_deliver: options.maxDeliver ?? 10,
      max_ack_pending: options.maxAckPending ?? 1_000,
      deliver_policy: options.deliverFrom === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
      filter_subject: subject,
    }
    try {
      const existing = await jsm.consumers.info(stream, options.durable).catch(() => null)
      if (existing === null) await jsm.consumers.add(stream, config)
      else if ((existing.config.filter_subject ?? '>') !== subject) {
        throw new ConfigError(`The consumer ${options.durable} exists with another filter.`, {
          details: { existing: existing.config.filter_subject, wanted: subject },
          hint: 'Every worker of one group must use the same filter; pick another --group name for a new filter.',
        })
      }
    } catch (error) {
      if (error instanceof ConfigError) throw error
      // Another worker of the group may have created it at the same moment.
      const raced = await jsm.consumers.info(stream, options.durable).catch(() => null)
      if (raced === null) {
        throw new ConnectionError(
          `Could not create the JetStream consumer ${options.durable} on ${stream}.`,
          {
            cause: error,
            details: { reason: error instanceof Error ? error.message : String(error) },
            hint: 'Check that the stream exists (a collector creates it) and JetStream is enabled (nats-server -js).',
          },
        )
      }
    }
    const consumer = await jetstream(options.connection).consumers.get(stream, options.durable)
    state.messages = await consumer.consume({ max_messages: options.batchSize ?? 100 })
    if (stopping) await state.messages.close()
  })()

  const done = (async () => {
    try {
      await ready
    } catch {
      return
    }
    if (state.messages === null) return
    try {
      for await (const message of state.messages) {
        await handle(message)
        if (stopping) break
      }
    } catch (error) {
      if (!stopping) {
        report(
          new ConnectionError(`The worker ${options.durable} stopped receiving: ${String(error)}`, {
            cause: error,
          }),
        )
      }
    }
  })()

  return {
    ready,
    done,
    stats: () => ({ ...stats }),
    stop: async () => {
      stopping = true
      await ready.catch(() => undefined)
      await state.messages?.close()
      await done
    },
  }
}
