import { createServer, type Server } from 'node:http'
import type { MarketEvent, MarketEventKind, VenueId } from '@tickmesh/core'
import { nowMs } from '@tickmesh/core'
import type { PublisherStats } from '@tickmesh/nats'
import { Counter, Gauge, Histogram, Registry } from 'prom-client'

/** Seconds; market data latency is mostly sub-second, with a tail during reconnects. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/**
 * Prometheus metrics of one collector, in their own registry (never the global one, so embedding
 * the CLI in another process does not mix metrics).
 */
export class CollectMetrics {
  readonly registry = new Registry()
  private readonly received: Counter<'venue' | 'kind'>
  private readonly stored: Counter<'venue' | 'kind'>
  private readonly venueLatency: Histogram<'venue'>
  private readonly publishLatency: Histogram<'venue'>
  private readonly reconnects: Counter<'venue'>
  private readonly resyncs: Counter<'venue'>
  private readonly venueErrors: Counter<'venue' | 'code'>
  // Labelled children cached per venue so the hot path does no label lookups.
  private readonly venueLatencyOf = new Map<VenueId, { observe(value: number): void }>()
  private readonly publishLatencyOf = new Map<VenueId, { observe(value: number): void }>()
  private readonly reported = new Map<string, number>()

  constructor(readStats: () => PublisherStats) {
    const registers = [this.registry]
    this.received = new Counter({
      name: 'tickmesh_collect_events_received_total',
      help: 'Events received from the venues',
      labelNames: ['venue', 'kind'],
      registers,
    })
    this.stored = new Counter({
      name: 'tickmesh_collect_events_stored_total',
      help: 'Events JetStream confirmed stored (duplicates excluded)',
      labelNames: ['venue', 'kind'],
      registers,
    })
    this.venueLatency = new Histogram({
      name: 'tickmesh_collect_venue_latency_seconds',
      help: 'Venue event time to local receive time',
      labelNames: ['venue'],
      buckets: LATENCY_BUCKETS,
      registers,
    })
    this.publishLatency = new Histogram({
      name: 'tickmesh_collect_publish_latency_seconds',
      help: 'Local receive time to JetStream ack',
      labelNames: ['venue'],
      buckets: LATENCY_BUCKETS,
      registers,
    })
    this.reconnects = new Counter({
      name: 'tickmesh_collect_reconnects_total',
      help: 'Venue connections lost and re-established',
      labelNames: ['venue'],
      registers,
    })
    this.resyncs = new Counter({
      name: 'tickmesh_collect_resyncs_total',
      help: 'Order book resyncs (gap, checksum, reconnect)',
      labelNames: ['venue'],
      registers,
    })
    this.venueErrors = new Counter({
      name: 'tickmesh_collect_venue_errors_total',
      help: 'Error events from the adapters',
      labelNames: ['venue', 'code'],
      registers,
    })
    const reported = this.reported
    // Publisher totals are read at scrape time and turned into counters by their increase.
    const deltaCounter = (name: string, help: string, read: (stats: PublisherStats) => number): void => {
      new Counter({
        name,
        help,
        registers,
        collect() {
          const value = read(readStats())
          const increase = value - (reported.get(name) ?? 0)
          if (increase > 0) this.inc(increase)
          reported.set(name, value)
        },
      })
    }
    const kindCounter = (
      name: string,
      help: string,
      read: (stats: PublisherStats) => Partial<Record<MarketEventKind, number>>,
    ): void => {
      new Counter({
        name,
        help,
        labelNames: ['kind'],
        registers,
        collect() {
          for (const [kind, value] of Object.entries(read(readStats()))) {
            const key = `${name}:${kind}`
            const increase = (value ?? 0) - (reported.get(key) ?? 0)
            if (increase > 0) this.inc({ kind }, increase)
            reported.set(key, value ?? 0)
          }
        },
      })
    }
    const gauge = (name: string, help: string, read: (stats: PublisherStats) => number): void => {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read(readStats()))
        },
      })
    }
    deltaCounter(
      'tickmesh_collect_duplicates_total',
      'Publishes JetStream dropped as duplicates (Nats-Msg-Id)',
      (s) => s.duplicates,
    )
    deltaCounter(
      'tickmesh_collect_publish_errors_total',
      'Failed publishes (retried)',
      (s) => s.publishErrors,
    )
    deltaCounter(
      'tickmesh_collect_spilled_total',
      'Events written to the spill file while NATS was slow or down',
      (s) => s.spilled,
    )
    deltaCounter(
      'tickmesh_collect_republished_total',
      'Spilled events read back for publishing',
      (s) => s.republished,
    )
    kindCounter(
      'tickmesh_collect_conflated_total',
      'Pending events replaced by a newer state of the same subject',
      (s) => s.conflated,
    )
    kindCounter('tickmesh_collect_dropped_total', 'Events dropped on overflow or shutdown', (s) => s.dropped)
    kindCounter(
      'tickmesh_collect_lost_total',
      'Events that could neither be published nor spilled',
      (s) => s.lost,
    )
    gauge('tickmesh_collect_queue_depth', 'Events waiting in memory to be published', (s) => s.queued)
    gauge('tickmesh_collect_in_flight', 'Publishes awaiting a JetStream ack', (s) => s.inFlight)
    gauge('tickmesh_collect_spill_pending', 'Events on disk waiting to be republished', (s) => s.spillPending)
  }

  /** An event from a venue (before publishing). */
  onReceived(event: MarketEvent): void {
    this.received.inc({ venue: event.venue, kind: event.kind })
    if (event.kind === 'status') {
      if (event.state === 'reconnecting' && event.attempt <= 1) this.reconnects.inc({ venue: event.venue })
      else if (event.state === 'resyncing') this.resyncs.inc({ venue: event.venue })
      return
    }
    if (event.kind === 'error') {
      this.venueErrors.inc({ venue: event.venue, code: event.code })
      return
    }
    if (event.kind !== 'balance' && event.exchangeTime !== null) {
      let child = this.venueLatencyOf.get(event.venue)
      if (child === undefined) {
        child = this.venueLatency.labels(event.venue)
        this.venueLatencyOf.set(event.venue, child)
      }
      child.observe(Math.max(0, event.receivedAt - event.exchangeTime) / 1_000)
    }
  }

  /** JetStream confirmed an event stored. */
  onStored(event: MarketEvent): void {
    this.stored.inc({ venue: event.venue, kind: event.kind })
    let child = this.publishLatencyOf.get(event.venue)
    if (child === undefined) {
      child = this.publishLatency.labels(event.venue)
      this.publishLatencyOf.set(event.venue, child)
    }
    child.observe(Math.max(0, nowMs() - event.receivedAt) / 1_000)
  }
}

/** Serves `/metrics` (and `/healthz`) on `host:port`; port 0 picks a free one. */
export async function serveMetrics(
  metrics: CollectMetrics,
  port: number,
  host: string,
): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]
    if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => {
          response.writeHead(200, { 'content-type': metrics.registry.contentType })
          response.end(text)
        },
        (error: unknown) => {
          response.writeHead(500, { 'content-type': 'text/plain' })
          response.end(String(error))
        },
      )
    } else if (path === '/healthz') {
      response.writeHead(200, { 'content-type': 'text/plain' })
      response.end('ok\n')
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' })
      response.end('Not found: metrics are at /metrics\n')
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const boundPort = typeof address === 'object' && address !== null ? address.port : port
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}/metrics` }
}
