import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { MarketEvent } from '@tickmesh/core'
import type { Simulator } from '@tickmesh/simulator'
import { startSimulator } from '@tickmesh/simulator'
import type { ChaosVenueSpec } from './chaos-run'

// Accelerated soak: the simulator in firehose mode (the market steps as fast as the client drains)
// feeds one adapter subscribed to book, trades, bbo and ticker on three symbols; every
// `reconnectEvery` frames the connection is dropped. At each reconnect boundary (after a GC, and once
// in-flight resources have settled) the run samples heap, active handles by type, timers and open
// sockets: all must stay flat.

export interface SoakSample {
  frames: number
  heapUsedMb: number
  resources: Record<string, number>
  simConnections: number
}

export interface SoakResult {
  venue: string
  frames: number
  events: number
  reconnects: number
  seconds: number
  framesPerSecond: number
  samples: SoakSample[]
  /** Heap after GC: median of the last quarter of samples minus median of the second quarter. */
  heapGrowthMb: number
  /** Active resources (handles, timers, sockets) by type: max over samples after warm-up minus the first. */
  resourceGrowth: Record<string, number>
  maxSimConnections: number
  droppedEventErrors: number
}

function collectGarbage(): void {
  setFlagsFromString('--expose_gc')
  const gc = runInNewContext('gc') as () => void
  gc()
  gc()
}

function countResources(): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1
  return counts
}

/** Polls for the settle wait: counts unchanged over this many polls count as settled. */
const SETTLE_POLL_MS = 25
const SETTLE_STABLE_POLLS = 4
const SETTLE_LIMIT_MS = 3_000

/**
 * Resource counts once transient ones are gone. At a sample boundary some resources are
 * legitimately in flight: a REST request on undici's pooled keep-alive socket is ref'd (and has
 * its timer) only while the request runs, and a replaced connection may still be finishing its
 * close. Waits (bounded) until the counts hold still and, once a baseline exists, none is above
 * it; a real leak never comes back down, so it still shows after the wait.
 */
async function settledResources(
  baseline: Record<string, number> | undefined,
): Promise<Record<string, number>> {
  const deadline = Date.now() + SETTLE_LIMIT_MS
  let counts = countResources()
  let stable = 0
  while (Date.now() < deadline) {
    await sleep(SETTLE_POLL_MS)
    const next = countResources()
    stable = sameCounts(counts, next) ? stable + 1 : 0
    counts = next
    if (stable >= SETTLE_STABLE_POLLS && withinBaseline(counts, baseline)) break
  }
  return counts
}

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const types = new Set([...Object.keys(a), ...Object.keys(b)])
  for (const type of types) if ((a[type] ?? 0) !== (b[type] ?? 0)) return false
  return true
}

function withinBaseline(
  counts: Record<string, number>,
  baseline: Record<string, number> | undefined,
): boolean {
  if (baseline === undefined) return true
  for (const [type, count] of Object.entries(counts)) if (count > (baseline[type] ?? 0)) return false
  return true
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export async function runSoak(
  spec: ChaosVenueSpec,
  options: { frames: number; reconnectEvery: number; seed: number; symbols: readonly string[] },
): Promise<SoakResult> {
  const startedAt = Date.now()
  const sim: Simulator = await startSimulator({
    venues: [spec.venue],
    seed: options.seed,
    port: 0,
    firehose: true,
    timeScale: 0.05,
    ...spec.simOptions,
    // The in-process simulator keeps a true trade list (100k per instrument by default) that fills
    // over the first millions of frames; keep it small so the heap figure is the adapter's.
    market: { tradeHistoryLimit: 2_000 },
  })
  const adapter = spec.create({
    wsUrl: sim.venues[spec.venue].ws,
    restUrl: sim.venues[spec.venue].rest,
    WebSocket: spec.WebSocket,
    reconnect: { baseDelayMs: 20, maxDelayMs: 200, stableAfterMs: 500 },
    ...spec.settings,
  })
  let events = 0
  let droppedEventErrors = 0
  // Consumers by callback only (no iterator left unread): the adapter's own buffers must stay bounded.
  const onEvent = (event: MarketEvent) => {
    events++
    if (event.kind === 'error' && event.message.includes('dropped')) droppedEventErrors++
  }
  const subscriptions = [
    adapter.subscribe({ channel: 'book', symbols: options.symbols, depth: 20 }, { onEvent }),
    adapter.subscribe({ channel: 'trades', symbols: options.symbols }, { onEvent }),
    adapter.subscribe({ channel: 'bbo', symbols: options.symbols }, { onEvent }),
    adapter.subscribe({ channel: 'ticker', symbols: options.symbols }, { onEvent }),
  ]
  const module = sim.module(spec.venue)
  const samples: SoakSample[] = []
  let reconnects = 0
  let maxSimConnections = 0
  try {
    await Promise.all(subscriptions.map((subscription) => subscription.ready))
    const base = module.sentFrames
    // Samples are taken only once every connection is back, so they compare like with like.
    const steadyConnections = module.connectionCount
    let nextDrop = options.reconnectEvery
    // Every drop due within the frame budget happens, even when reconnects ran late behind the firehose.
    while (module.sentFrames - base < options.frames || nextDrop <= options.frames) {
      await sleep(50)
      maxSimConnections = Math.max(maxSimConnections, module.connectionCount)
      if (module.sentFrames - base < nextDrop) continue
      nextDrop += options.reconnectEvery
      sim.inject(spec.venue, { kind: 'drop', code: 1001 })
      reconnects++
      // Sample once the new connections carry data again.
      const at = module.sentFrames
      const deadline = Date.now() + 15_000
      while (
        (module.sentFrames - at < 1_000 || module.connectionCount < steadyConnections) &&
        Date.now() < deadline
      )
        await sleep(20)
      collectGarbage()
      const resources = await settledResources(samples[1]?.resources)
      samples.push({
        frames: module.sentFrames - base,
        heapUsedMb: Math.round((process.memoryUsage().heapUsed / 1_048_576) * 10) / 10,
        resources,
        simConnections: module.connectionCount,
      })
    }
  } finally {
    await adapter.close()
    await sim.close()
  }
  const seconds = (Date.now() - startedAt) / 1000
  const quarter = Math.max(1, Math.floor(samples.length / 4))
  const early = samples.slice(quarter, 2 * quarter).map((sample) => sample.heapUsedMb)
  const late = samples.slice(-quarter).map((sample) => sample.heapUsedMb)
  const resourceGrowth: Record<string, number> = {}
  const first = samples[Math.min(1, samples.length - 1)]
  if (first) {
    const types = new Set(samples.flatMap((sample) => Object.keys(sample.resources)))
    for (const type of types) {
      const start = first.resources[type] ?? 0
      const most = Math.max(...samples.slice(1).map((sample) => sample.resources[type] ?? 0))
      resourceGrowth[type] = most - start
    }
  }
  return {
    venue: spec.venue,
    frames: samples.at(-1)?.frames ?? 0,
    events,
    reconnects,
    seconds: Math.round(seconds),
    framesPerSecond: Math.round((samples.at(-1)?.frames ?? 0) / seconds),
    samples,
    heapGrowthMb: Math.round((median(late) - median(early)) * 10) / 10,
    resourceGrowth,
    maxSimConnections,
    droppedEventErrors,
  }
}
