// 4b. Order books against ccxt pro's watchOrderBook. The bench producer cannot write sequence-valid
// book streams, so the real simulator is the producer (fresh, same seed, per run: both clients get the
// same book changes). The simulator paces the stream, so messages/s compare nothing: the figures are
// CPU time per book update (process.cpuUsage in a dedicated child per client) and latency from the
// venue's exchange timestamp to the user callback.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { VenueId } from '@tickmesh/core'
import { startSimulator } from '@tickmesh/simulator'
import type { BookChildConfig, BookChildResult, BookClient } from './book-stream-child'
import { markdownTable, micros, ratio } from './format'
import { median, quantile } from './measure'
import type { VenueUnderTest } from './venues'

export interface BookStreamOptions {
  repetitions: number
  warmupMs: number
  durationMs: number
  /** Simulator `rate`: messages/s per stream. */
  rate: number
  /** Simulator market tick interval (ms): how many book changes each message carries. */
  tickIntervalMs: number
  /** Simulator firehose: the market steps as fast as the client drains (CPU per update, not latency). */
  firehose: boolean
}

export interface BookStreamRow {
  venue: VenueId
  client: BookClient
  updatesPerSecond: number
  callbacksPerSecond: number
  /** Median over repetitions of CPU µs per update. */
  cpuMicrosPerUpdate: number
  /** Median over repetitions, ms. */
  p50: number
  p99: number
  samples: number
  notes: string[]
}

function runChild(config: BookChildConfig): Promise<BookChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./book-stream-child.ts', import.meta.url)), [], {
      env: { ...process.env, TICKMESH_BENCH_BOOK: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    let result: BookChildResult | null = null
    const timer = setTimeout(() => child.kill('SIGKILL'), config.warmupMs + config.durationMs + 60_000)
    child.on('message', (message: BookChildResult) => {
      result = message
    })
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (result !== null) resolve(result)
      else
        reject(
          new Error(`bench book child (${config.client} ${config.venue}) exited with code ${String(code)}`),
        )
    })
  })
}

export async function runBookStreamBench(
  venues: readonly VenueUnderTest[],
  options: BookStreamOptions,
): Promise<BookStreamRow[]> {
  const rows: BookStreamRow[] = []
  for (const venue of venues) {
    const byClient = new Map<BookClient, BookChildResult[]>()
    for (let rep = 0; rep < options.repetitions; rep++) {
      // Alternate who goes first, so drift in machine load does not favour one client.
      const order: BookClient[] = rep % 2 === 0 ? ['tickmesh', 'ccxt'] : ['ccxt', 'tickmesh']
      for (const client of order) {
        const simulator = await startSimulator({
          venues: [venue.venue],
          seed: 1,
          rate: options.rate,
          firehose: options.firehose,
          market: { tickIntervalMs: options.tickIntervalMs },
        })
        try {
          const endpoints = simulator.venues[venue.venue]
          const result = await runChild({
            client,
            venue: venue.venue,
            ws: endpoints.ws,
            rest: endpoints.rest,
            warmupMs: options.warmupMs,
            durationMs: options.durationMs,
          })
          byClient.set(client, [...(byClient.get(client) ?? []), result])
        } finally {
          await simulator.close()
        }
      }
    }
    for (const [client, runs] of byClient) {
      const ok = runs.filter((run) => run.error === undefined && run.updates > 0)
      const perSecond = (value: (run: BookChildResult) => number): number =>
        median(ok.map((run) => (value(run) / run.windowMs) * 1000))
      rows.push({
        venue: venue.venue,
        client,
        updatesPerSecond: perSecond((run) => run.updates),
        callbacksPerSecond: perSecond((run) => run.callbacks),
        cpuMicrosPerUpdate: median(ok.map((run) => run.cpuMicros / run.updates)),
        p50: median(ok.map((run) => quantile(run.latenciesMs, 0.5))),
        p99: median(ok.map((run) => quantile(run.latenciesMs, 0.99))),
        samples: ok.reduce((sum, run) => sum + run.latenciesMs.length, 0),
        notes: runs.flatMap((run) => (run.error === undefined ? [] : [run.error])),
      })
    }
  }
  return rows
}

/**
 * One row per venue: CPU per update from the firehose runs (enough updates that fixed idle costs do
 * not dominate), latency from the paced runs (a firehose measures queueing, not the client).
 */
export function bookStreamTable(
  cpuRows: readonly BookStreamRow[],
  latencyRows: readonly BookStreamRow[],
): string {
  const venues = [...new Set([...cpuRows, ...latencyRows].map((row) => row.venue))]
  const find = (
    rows: readonly BookStreamRow[],
    venue: VenueId,
    client: BookClient,
  ): BookStreamRow | undefined => rows.find((row) => row.venue === venue && row.client === client)
  const f = (value: number | undefined, digits = 0): string =>
    value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits)
  const latency = (row: BookStreamRow | undefined): string =>
    row === undefined || !Number.isFinite(row.p50) ? 'n/a' : `${micros(row.p50)} / ${micros(row.p99)}`
  const table = markdownTable(
    [
      'venue',
      'firehose updates/s (tickmesh / ccxt)',
      'CPU µs per update: tickmesh',
      'ccxt',
      'ccxt / tickmesh',
      'paced updates/s',
      'latency p50 / p99: tickmesh',
      'ccxt watchOrderBook',
      'latency samples (tickmesh / ccxt)',
    ],
    venues.map((venue) => {
      const mine = find(cpuRows, venue, 'tickmesh')
      const theirs = find(cpuRows, venue, 'ccxt')
      const mineLatency = find(latencyRows, venue, 'tickmesh')
      const theirLatency = find(latencyRows, venue, 'ccxt')
      return [
        venue,
        `${f(mine?.updatesPerSecond)} / ${f(theirs?.updatesPerSecond)}`,
        f(mine?.cpuMicrosPerUpdate, 1),
        f(theirs?.cpuMicrosPerUpdate, 1),
        mine === undefined || theirs === undefined
          ? 'n/a'
          : ratio(theirs.cpuMicrosPerUpdate / mine.cpuMicrosPerUpdate),
        f(mineLatency?.updatesPerSecond),
        latency(mineLatency),
        latency(theirLatency),
        `${mineLatency?.samples ?? 0} / ${theirLatency?.samples ?? 0}`,
      ]
    }),
  )
  const notes = [
    ...cpuRows.flatMap((row) => row.notes.map((note) => `- ${row.venue} ${row.client} (firehose): ${note}`)),
    ...latencyRows.flatMap((row) => row.notes.map((note) => `- ${row.venue} ${row.client} (paced): ${note}`)),
  ]
  return notes.length === 0 ? table : `${table}\n\n${notes.join('\n')}`
}
