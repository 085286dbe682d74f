import {
  type ConsumerMessages,
  DeliverPolicy,
  jetstream,
  type OrderedConsumerOptions,
} from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import { ConnectionError, type MarketEvent, type TickmeshError } from '@tickmesh/core'
import { connectNats } from './connect-nats'
import { decodeMessage } from './decode-message'
import { DEFAULT_STREAM_NAME } from './ensure-stream'
import { type EventCodec, jsonCodec } from './event-codec'
import { DEFAULT_SUBJECT_PREFIX, type EventFilter, eventMatcher, filterSubject } from './subjects'

/**
 * Where reading starts: `last` (default) replays the latest event of every subject (each book,
 * ticker, bbo is a whole state, so this rebuilds a view) and then follows live; `new` only live;
 * `all` everything still stored; `{ sinceMs }` everything stored since that time (trade history).
 */
export type ReadFrom = 'last' | 'new' | 'all' | { sinceMs: number }

export interface SubscribeEventsOptions {
  /** Default `TICKMESH`. */
  stream?: string
  subjectPrefix?: string
  from?: ReadFrom
  codec?: EventCodec
  /** Check each event against the full schema (default false: kind and venue only). */
  validate?: boolean
  /** Undecodable messages and connection problems; the iteration goes on. */
  onError?: (error: TickmeshError) => void
  /** Called once the consumer exists and reading has started. */
  onReady?: () => void
}

/** Events read from JetStream; ends after `close()` or when the loop breaks. */
export interface EventSubscription extends AsyncIterable<MarketEvent> {
  /** Stops reading and closes the connection this subscription opened. */
  close(): Promise<void>
}

/**
 * Every tickmesh event matching `filter`, in stream order, from an ordered (ephemeral, flow-controlled)
 * consumer: one reader gets all events, unlike a worker group. `source` is a `nats://` URL (the
 * subscription connects and closes on its own) or an open connection (left open).
 */
export function subscribeEvents(
  source: string | NatsConnection,
  filter: EventFilter | string = {},
  options: SubscribeEventsOptions = {},
): EventSubscription {
  const stream = options.stream ?? DEFAULT_STREAM_NAME
  const prefix = options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX
  const subject = typeof filter === 'string' ? filter : filterSubject(filter, prefix)
  const matches = typeof filter === 'string' ? null : eventMatcher(filter)
  const codec = options.codec ?? jsonCodec
  const validate = options.validate ?? false
  let connection: NatsConnection | null = typeof source === 'string' ? null : source
  let messages: ConsumerMessages | null = null
  let closed = false

  const report = (error: TickmeshError): void => {
    try {
      options.onError?.(error)
    } catch {
      // The reporter must not end the iteration.
    }
  }

  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    // `stop`, not `close`: close waits until the reader drains what is buffered, which never happens
    // when the reader has stopped pulling.
    messages?.stop()
    if (typeof source === 'string') await connection?.close()
  }

  async function* read(): AsyncGenerator<MarketEvent> {
    try {
      if (connection === null && typeof source === 'string') {
        connection = await connectNats(source, { name: 'tickmesh-subscriber' })
      }
      if (closed || connection === null) return
      const consumerOptions: Partial<OrderedConsumerOptions> = { filter_subjects: subject }
      const from = options.from ?? 'last'
      if (from === 'last') consumerOptions.deliver_policy = DeliverPolicy.LastPerSubject
      else if (from === 'new') consumerOptions.deliver_policy = DeliverPolicy.New
      else if (from === 'all') consumerOptions.deliver_policy = DeliverPolicy.All
      else {
        consumerOptions.deliver_policy = DeliverPolicy.StartTime
        consumerOptions.opt_start_time = new Date(from.sinceMs).toISOString()
      }
      let consumer: Awaited<ReturnType<ReturnType<typeof jetstream>['consumers']['get']>>
      try {
        consumer = await jetstream(connection).consumers.get(stream, consumerOptions)
      } catch (error) {
        throw new ConnectionError(`Could not read the JetStream stream ${stream}.`, {
          cause: error,
          details: { reason: error instanceof Error ? error.message : String(error), subject },
          hint: 'Start a collector first (tickmesh collect … --to nats://…): it creates the stream.',
        })
      }
      messages = await consumer.consume()
      if (closed) messages.stop()
      options.onReady?.()
      for await (const message of messages) {
        const decoded = decodeMessage(codec, message.data, message.subject, validate)
        if (!decoded.success) {
          report(decoded.error as TickmeshError)
          continue
        }
        if (matches === null || matches(decoded.value)) yield decoded.value
      }
    } finally {
      await close()
    }
  }

  return {
    [Symbol.asyncIterator]: () => read(),
    close,
  }
}
