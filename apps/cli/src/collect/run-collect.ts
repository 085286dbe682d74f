import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Channel, MarketEvent, TickmeshError } from '@tickmesh/core'
import {
  type Collector,
  connectNats,
  createCollector,
  createPublisher,
  type NatsConnection,
  type PublisherStats,
  redactNatsUrl,
  type ShardSpec,
  type StreamSettings,
  setupStream,
} from '@tickmesh/nats'
import type { LiveSettings } from '../commands/live-run'
import type { CliContext } from '../context'
import { UsageError } from '../errors'
import { printError } from '../io'
import { StopController, type StopReason } from '../stop'
import { openVenues } from '../venues'
import { CollectMetrics, serveMetrics } from './collect-metrics'

export interface CollectSettings {
  live: LiveSettings
  natsUrl: string
  channels: readonly Channel[]
  depth: number
  shard: ShardSpec | undefined
  stream: StreamSettings & { name: string }
  spillDir: string | null
  maxQueued: number
  metricsPort: number | null
  metricsHost: string
}

/** Prints at most this many adapter/publisher warnings a minute so an outage does not flood stderr. */
const WARNINGS_PER_MINUTE = 20

/**
 * The collector process: venues (or the simulator) → sharded subscriptions → JetStream, with
 * Prometheus metrics. Runs until the duration ends or the signal aborts, then flushes (trades not yet
 * stored spill to disk for the next run) and prints a summary.
 */
export async function runCollect(context: CliContext, settings: CollectSettings): Promise<StopReason> {
  const { io } = context
  const live = settings.live
  for (const warning of live.config.warnings) printError(io, warning)
  let warningsThisMinute = 0
  let minuteStartedAt = Date.now()
  const warn = (text: string): void => {
    const now = Date.now()
    if (now - minuteStartedAt > 60_000) {
      if (warningsThisMinute > WARNINGS_PER_MINUTE) {
        printError(
          io,
          `(${warningsThisMinute - WARNINGS_PER_MINUTE} more warnings in the last minute were not shown)`,
        )
      }
      minuteStartedAt = now
      warningsThisMinute = 0
    }
    if (++warningsThisMinute <= WARNINGS_PER_MINUTE) printError(io, text)
  }

  const stop = new StopController(live.durationMs, io.signal)
  let connection: NatsConnection | null = null
  let collector: Collector | null = null
  let venues: Awaited<ReturnType<typeof openVenues>> | null = null
  let metricsServer: Awaited<ReturnType<typeof serveMetrics>> | null = null
  let readStats: () => PublisherStats | null = () => null
  const received = { count: 0 }
  try {
    connection = await connectNats(settings.natsUrl, {
      name: `tickmesh-collect${settings.shard ? `-${settings.shard.index}of${settings.shard.count}` : ''}`,
      timeoutMs: live.openTimeoutMs,
    })
    const nats = connection
    void nats.closed().then((error) => {
      if (error && !stop.isStopped) warn(`NATS connection closed: ${error.message}`)
    })
    const info = await setupStream(nats, settings.stream)
    venues = await openVenues({
      venues: live.venues,
      sim: live.sim,
      ...(live.seed === undefined ? {} : { seed: live.seed }),
      config: live.config,
      openTimeoutMs: live.openTimeoutMs,
      deps: context.deps,
    })
    const metricsHolder: { metrics: CollectMetrics | null } = { metrics: null }
    const publisher = createPublisher({
      connection: nats,
      stream: settings.stream.name,
      subjectPrefix: info.config.subjects[0]!.replace(/\.>$/, ''),
      maxQueued: settings.maxQueued,
      spillDir:
        settings.spillDir ??
        join(
          tmpdir(),
          'tickmesh-spill',
          `${settings.stream.name}-${settings.shard ? `${settings.shard.index}of${settings.shard.count}` : 'all'}`,
        ),
      onStored: (event) => metricsHolder.metrics?.onStored(event),
      onError: (error: TickmeshError) =>
        warn(`Warning: ${error.shortMessage}${error.hint ? ` ${error.hint}` : ''}`),
    })
    readStats = () => publisher.stats()
    const metrics = new CollectMetrics(() => publisher.stats())
    metricsHolder.metrics = metrics
    const onEvent = (event: MarketEvent): void => {
      received.count++
      metrics.onReceived(event)
      if (event.kind === 'error') warn(`${event.venue}: ${event.message}`)
      else if (event.kind === 'status' && (event.state === 'reconnecting' || event.state === 'closed')) {
        if (event.attempt <= 1) warn(`${event.venue}: ${event.state} (${event.reason})`)
      }
    }
    collector = createCollector({
      adapters: venues.adapters,
      publisher,
      symbols: live.symbols,
      channels: settings.channels,
      market: live.market,
      depth: settings.depth,
      ...(settings.shard === undefined ? {} : { shard: settings.shard }),
      onEvent,
    })
    const owned = collector.assignments
    if (owned.length === 0 && settings.shard !== undefined) {
      throw new UsageError(
        `Shard ${settings.shard.index}/${settings.shard.count} owns none of the ${live.venues.length * live.symbols.length} instruments.`,
        { hint: 'Use fewer shards than instruments, or give every collector the same, longer symbol list.' },
      )
    }
    if (settings.metricsPort !== null) {
      metricsServer = await serveMetrics(metrics, settings.metricsPort, settings.metricsHost)
    }
    printError(
      io,
      `Collecting ${owned.map((entry) => `${entry.venue}:${entry.symbol}`).join(' ')} (${settings.channels.join(',')})${
        settings.shard ? ` as shard ${settings.shard.index}/${settings.shard.count}` : ''
      } → ${redactNatsUrl(settings.natsUrl)} stream ${info.config.name}${
        metricsServer ? `; metrics at ${metricsServer.url}` : ''
      }${venues.simulator ? ' (simulator)' : ''}.`,
    )
    return await stop.done
  } finally {
    stop.dispose()
    if (!stop.isStopped) stop.stop('end')
    if (collector !== null) await collector.close({ flushTimeoutMs: 5_000 })
    await venues?.close()
    if (metricsServer !== null) {
      const server = metricsServer.server
      server.closeAllConnections()
      await new Promise<void>((done) => server.close(() => done()))
    }
    await connection?.close().catch(() => undefined)
    const stats = readStats()
    if (stats !== null) printSummary(context, settings, received.count, stats)
  }
}

function printSummary(
  context: CliContext,
  settings: CollectSettings,
  received: number,
  stats: PublisherStats,
): void {
  const sum = (counts: Partial<Record<string, number>>): number =>
    Object.values(counts).reduce<number>((total, value) => total + (value ?? 0), 0)
  const summary = {
    received,
    stored: stats.stored,
    duplicates: stats.duplicates,
    publishErrors: stats.publishErrors,
    conflated: stats.conflated,
    dropped: stats.dropped,
    spilled: stats.spilled,
    republished: stats.republished,
    spillPending: stats.spillPending,
    lost: stats.lost,
  }
  if (settings.live.json) {
    context.io.stdout.write(`${JSON.stringify({ kind: 'collect-summary', ...summary })}\n`)
    return
  }
  printError(
    context.io,
    `Collected ${received} events: ${stats.stored} stored, ${stats.duplicates} duplicates dropped by NATS, ${sum(stats.conflated)} conflated, ${sum(stats.dropped)} dropped, ${stats.spilled} spilled${
      stats.spillPending > 0 ? ` (${stats.spillPending} still on disk, republished on the next run)` : ''
    }${sum(stats.lost) > 0 ? `, ${sum(stats.lost)} LOST (spill failed)` : ''}.`,
  )
}

/** `--spill-dir` relative to the working directory. */
export function resolveSpillDir(cwd: string, text: string | undefined): string | null {
  return text === undefined ? null : resolve(cwd, text)
}
