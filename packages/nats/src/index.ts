// @tickmesh/nats public API.

// --- subjects, ids and encoding
export {
  DEFAULT_SUBJECT_PREFIX,
  EMPTY_TOKEN,
  eventMatcher,
  filterSubject,
  subjectOf,
  subjectToken,
} from './subjects'
export type { EventFilter } from './subjects'
export { messageIdOf } from './message-id'
export { checkShape, jsonCodec } from './event-codec'
export type { EventCodec } from './event-codec'

// --- connection and stream
export { connectNats, parseNatsUrl, redactNatsUrl } from './connect-nats'
export type { ConnectNatsOptions } from './connect-nats'
export type { NatsConnection } from '@nats-io/transport-node'
export {
  DEFAULT_STREAM_NAME,
  countStoredBySubject,
  ensureStream,
  resolveStreamSettings,
  setupStream,
} from './ensure-stream'
export type { ResolvedStreamSettings, StreamSettings } from './ensure-stream'

// --- publishing
export { OVERFLOW_POLICIES, createPublisher } from './create-publisher'
export type { OverflowPolicy, Publisher, PublisherOptions, PublisherStats } from './create-publisher'

// --- consuming
export { createWorker } from './create-worker'
export type { Delivery, Worker, WorkerOptions, WorkerStats } from './create-worker'
export { subscribeEvents } from './subscribe-events'
export type { EventSubscription, ReadFrom, SubscribeEventsOptions } from './subscribe-events'
export { CHANNEL_KINDS, createNatsSource } from './create-nats-source'
export type { NatsSourceOptions } from './create-nats-source'

// --- test harness
export { startNatsServer } from './test-support/start-nats-server'
export type { NatsServerHandle, StartNatsServerOptions } from './test-support/start-nats-server'

// --- collecting
export { DEFAULT_COLLECT_CHANNELS, assignmentsOf, createCollector } from './create-collector'
export type { Assignment, Collector, CollectorOptions } from './create-collector'
export { parseShard, shardOf } from './shard'
export type { ShardSpec } from './shard'
