// 6. Memory: heap and RSS after 1M and after 10M trades through one adapter (Binance, aggTrade with
// its gap tracking) feeding the aggregator's market view, after a full GC at each checkpoint.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { createMarketView } from '@tickmesh/aggregator'
import { startSimulator } from '@tickmesh/simulator'
import { markdownTable, mib, rate, verdict } from './format'
import { nowMs } from './measure'
import { startProducer } from './producer/start-producer'
import type { VenueUnderTest } from './venues'

export interface MemoryPoint {
  label: string
  messages: number
  heapUsed: number
  rss: number
  perSecond: number
}

function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}

function sample(gc: () => void, label: string, messages: number, perSecond: number): MemoryPoint {
  gc()
  gc()
  const usage = process.memoryUsage()
  return { label, messages, heapUsed: usage.heapUsed, rss: usage.rss, perSecond }
}

export async function runMemoryBench(
  venue: VenueUnderTest,
  checkpoints: readonly [number, number],
): Promise<MemoryPoint[]> {
  const gc = collectGarbage()
  const simulator = await startSimulator({ seed: 1, autoStart: false, venues: [venue.venue] })
  const producer = await startProducer({ [venue.venue]: simulator.venues[venue.venue].ws })
  const points: MemoryPoint[] = [sample(gc, 'before the adapter (floor)', 0, Number.NaN)]
  const view = createMarketView({ staleAfterMs: 60_000 })
  const adapter = venue.createAdapter({
    wsUrl: producer.wsUrl[venue.venue],
    restUrl: simulator.venues[venue.venue].rest,
  })
  try {
    let count = 0
    let next = 0
    let started = 0
    let resolveDone: () => void = () => undefined
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve
    })
    const subscription = adapter.subscribe(
      { channel: 'trades', symbols: [venue.symbols[0]] },
      {
        onEvent: (event) => {
          if (event.kind !== 'trade') return
          if (count === 0) started = nowMs()
          view.ingest(event)
          count++
          if (count === checkpoints[next]) {
            const perSecond = (count / (nowMs() - started)) * 1000
            points.push(sample(gc, `after ${rate(count)} messages`, count, perSecond))
            next++
            if (next === checkpoints.length) resolveDone()
          }
        },
      },
    )
    await subscription.ready
    points.push(sample(gc, 'subscribed, before the stream', 0, Number.NaN))
    const fired = producer.firehose(venue.venue, 'trades', checkpoints[1])
    await done
    await fired
  } finally {
    await adapter.close()
    await producer.stop()
    await simulator.close()
  }
  return points
}

export function memoryTable(venue: string, points: readonly MemoryPoint[]): string {
  const table = markdownTable(
    ['point', 'heap used', 'RSS', 'throughput so far'],
    points.map((point) => [
      point.label,
      mib(point.heapUsed),
      mib(point.rss),
      Number.isFinite(point.perSecond) ? `${rate(point.perSecond)}/s` : '',
    ]),
  )
  const first = points[points.length - 2]
  const last = points[points.length - 1]
  if (first === undefined || last === undefined || first.messages === 0) return table
  const heapGrowth = (last.heapUsed - first.heapUsed) / first.heapUsed
  const rssGrowth = (last.rss - first.rss) / first.rss
  const pct = (value: number): string => `${(value * 100).toFixed(1)} %`
  return `${table}\n\n- ${venue} adapter + market view, ${rate(first.messages)} → ${rate(last.messages)} messages: heap ${pct(heapGrowth)}, RSS ${pct(rssGrowth)} (goal < 5 %) → ${verdict(heapGrowth < 0.05 && rssGrowth < 0.05)}`
}

/** Runs the section in a fresh child process (see memory-child.ts). */
export function runMemoryBenchIsolated(
  checkpoints: readonly [number, number],
): Promise<{ venue: string; points: MemoryPoint[] }> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./memory-child.ts', import.meta.url)), [], {
      env: { ...process.env, TICKMESH_BENCH_CHECKPOINTS: JSON.stringify(checkpoints) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    let result: { venue: string; points: MemoryPoint[] } | null = null
    child.on('message', (message: { venue: string; points: MemoryPoint[] }) => {
      result = message
    })
    child.on('error', reject)
    child.on('exit', (code) => {
      if (result !== null) resolve(result)
      else reject(new Error(`bench memory section exited with code ${String(code)}`))
    })
  })
}
