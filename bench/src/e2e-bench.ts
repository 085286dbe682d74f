// 3 + 4. End to end and against ccxt: the producer (simulator handshake, bench-written trade frames)
// → loopback WebSocket → consumer. Firehose: receive throughput, median of interleaved repetitions.
// Fixed rate: latency from the send stamp in each frame to the consumer's callback.
import type { VenueId } from '@tickmesh/core'
import { startSimulator } from '@tickmesh/simulator'
import {
  type ConsumerKind,
  type E2eContext,
  type Plan,
  runBareWs,
  runCcxt,
  runTickmesh,
  type StreamResult,
} from './consumers'
import { markdownTable, micros, rate, ratio, verdict } from './format'
import { median, quantile } from './measure'
import { startProducer } from './producer/start-producer'
import type { StreamChannel } from './producer/trade-frames'
import type { VenueUnderTest } from './venues'

export interface E2eOptions {
  repetitions: number
  latencyRepetitions: number
  firehoseCount: number
  ccxtFirehoseCount: number
  rates: readonly { rate: number; durationMs: number }[]
  /** Ticker latency is measured at these rates only (trades at every rate). */
  tickerRates: readonly { rate: number; durationMs: number }[]
  withCcxt: boolean
}

export interface ThroughputRow {
  venue: VenueId
  channel: StreamChannel
  perSecond: Record<ConsumerKind, number>
  notes: string[]
}

export interface LatencyRow {
  venue: VenueId
  channel: StreamChannel
  rate: number
  consumer: ConsumerKind
  p50: number
  p99: number
  p999: number
  samples: number
  /** tickmesh: receive → callback inside the adapter (p50, p99, p99.9), medians over repetitions. */
  processing?: [number, number, number]
  note?: string
}

export interface E2eResults {
  throughput: ThroughputRow[]
  latency: LatencyRow[]
}

function noteOf(result: StreamResult): string | null {
  if (result.error === undefined && result.received >= result.expected) return null
  return `${result.consumer}: ${result.received}/${result.expected}${result.error === undefined ? '' : ` (${result.error})`}`
}

export async function runE2eBench(
  venues: readonly VenueUnderTest[],
  options: E2eOptions,
): Promise<E2eResults> {
  // The simulator only answers handshakes and REST here; its market does not run.
  const simulator = await startSimulator({ seed: 1, autoStart: false })
  const upstreams: Partial<Record<VenueId, string>> = {}
  const rest = {} as Record<VenueId, string>
  for (const venue of venues) {
    upstreams[venue.venue] = simulator.venues[venue.venue].ws
    rest[venue.venue] = simulator.venues[venue.venue].rest
  }
  const producer = await startProducer(upstreams)
  const context: E2eContext = { producer, rest, handshakes: new Map() }
  const throughput: ThroughputRow[] = []
  const latency: LatencyRow[] = []
  try {
    for (const venue of venues) {
      for (const channel of ['trades', 'ticker'] as const) {
        const samples: Record<ConsumerKind, number[]> = {
          ws: [],
          'ws+JSON.parse': [],
          tickmesh: [],
          ccxt: [],
        }
        const notes: string[] = []
        const firehose: Plan = { channel, mode: 'firehose', count: options.firehoseCount }
        for (let rep = 0; rep < options.repetitions; rep++) {
          const runs: StreamResult[] = [
            await runTickmesh(context, venue, firehose),
            await runBareWs(context, venue, firehose, false),
            await runBareWs(context, venue, firehose, true),
          ]
          if (options.withCcxt) {
            runs.push(
              await runCcxt(context, venue, { channel, mode: 'firehose', count: options.ccxtFirehoseCount }),
            )
          }
          for (const run of runs) {
            samples[run.consumer].push(run.perSecond)
            const note = noteOf(run)
            if (note !== null) notes.push(note)
          }
        }
        throughput.push({
          venue: venue.venue,
          channel,
          perSecond: {
            ws: median(samples.ws),
            'ws+JSON.parse': median(samples['ws+JSON.parse']),
            tickmesh: median(samples.tickmesh),
            ccxt: median(samples.ccxt),
          },
          notes,
        })
        for (const step of channel === 'trades' ? options.rates : options.tickerRates) {
          const plan: Plan = { channel, mode: 'rate', rate: step.rate, durationMs: step.durationMs }
          const byConsumer = new Map<ConsumerKind, StreamResult[]>()
          for (let rep = 0; rep < options.latencyRepetitions; rep++) {
            const runs: StreamResult[] = [
              await runBareWs(context, venue, plan, false),
              await runTickmesh(context, venue, plan),
            ]
            if (options.withCcxt) runs.push(await runCcxt(context, venue, plan))
            for (const run of runs)
              byConsumer.set(run.consumer, [...(byConsumer.get(run.consumer) ?? []), run])
          }
          for (const [consumer, runs] of byConsumer) {
            // Each percentile is the median over repetitions: one preempted run does not set the figure.
            const at = (values: (run: StreamResult) => Float64Array | null, q: number): number =>
              median(runs.map((run) => quantile(values(run) ?? new Float64Array(0), q)))
            const row: LatencyRow = {
              venue: venue.venue,
              channel,
              rate: step.rate,
              consumer,
              p50: at((run) => run.latenciesMs, 0.5),
              p99: at((run) => run.latenciesMs, 0.99),
              p999: at((run) => run.latenciesMs, 0.999),
              samples: runs.reduce((sum, run) => sum + (run.latenciesMs?.length ?? 0), 0),
            }
            if (consumer === 'tickmesh') {
              row.processing = [
                at((run) => run.processingMs, 0.5),
                at((run) => run.processingMs, 0.99),
                at((run) => run.processingMs, 0.999),
              ]
            }
            const notes = runs.map(noteOf).filter((note): note is string => note !== null)
            if (notes.length > 0) row.note = notes.join('; ')
            latency.push(row)
          }
        }
      }
    }
  } finally {
    await producer.stop()
    await simulator.close()
  }
  return { throughput, latency }
}

export function throughputTable(rows: readonly ThroughputRow[], withCcxt: boolean): string {
  const table = markdownTable(
    [
      'venue',
      'stream',
      'bare ws (count only)',
      'ws + JSON.parse floor',
      'tickmesh',
      'tickmesh / floor',
      'goal ≥ 0.90',
      ...(withCcxt ? ['ccxt watchTrades', 'tickmesh / ccxt', 'goal ≥ 5×'] : []),
    ],
    rows.map((row) => {
      const vsFloor = row.perSecond.tickmesh / row.perSecond['ws+JSON.parse']
      const vsCcxt = row.perSecond.tickmesh / row.perSecond.ccxt
      return [
        row.venue,
        row.channel,
        rate(row.perSecond.ws),
        rate(row.perSecond['ws+JSON.parse']),
        rate(row.perSecond.tickmesh),
        ratio(vsFloor),
        verdict(vsFloor >= 0.9),
        ...(withCcxt ? [rate(row.perSecond.ccxt), ratio(vsCcxt), verdict(vsCcxt >= 5)] : []),
      ]
    }),
  )
  const notes = rows.flatMap((row) => row.notes.map((note) => `- ${row.venue} ${row.channel}: ${note}`))
  return notes.length === 0 ? table : `${table}\n\n${notes.join('\n')}`
}

export function latencyTable(rows: readonly LatencyRow[]): string {
  const floorOf = (row: LatencyRow): LatencyRow | undefined =>
    rows.find(
      (candidate) =>
        candidate.venue === row.venue && candidate.rate === row.rate && candidate.consumer === 'ws',
    )
  const table = markdownTable(
    [
      'venue',
      'stream',
      'rate/s',
      'consumer',
      'p50',
      'p99',
      'p99.9',
      'added p50 / p99 / p99.9 vs bare ws',
      'in-adapter p50 / p99 / p99.9',
      'samples',
    ],
    rows.map((row) => {
      const floor = floorOf(row)
      const added =
        row.consumer === 'ws' || floor === undefined
          ? '(floor)'
          : `${micros(row.p50 - floor.p50)} / ${micros(row.p99 - floor.p99)} / ${micros(row.p999 - floor.p999)}`
      return [
        row.venue,
        row.channel,
        rate(row.rate),
        row.consumer,
        micros(row.p50),
        micros(row.p99),
        micros(row.p999),
        added,
        row.processing === undefined ? '' : row.processing.map(micros).join(' / '),
        `${row.samples}${row.note === undefined ? '' : ` (${row.note})`}`,
      ]
    }),
  )
  const goals: string[] = []
  for (const row of rows) {
    if (row.rate !== 10_000) continue
    const floor = floorOf(row)
    if (row.consumer === 'tickmesh' && floor !== undefined) {
      const added = row.p99 - floor.p99
      goals.push(
        `- ${row.venue} ${row.channel}: p99 added latency at 10k/s ${micros(added)} (goal ≤ 100 µs) → ${verdict(added <= 0.1)}`,
      )
    }
    if (row.consumer === 'ccxt') {
      const mine = rows.find(
        (c) =>
          c.venue === row.venue &&
          c.channel === row.channel &&
          c.rate === row.rate &&
          c.consumer === 'tickmesh',
      )
      if (mine !== undefined) {
        goals.push(
          `- ${row.venue} ${row.channel}: p99 at 10k/s tickmesh ${micros(mine.p99)} vs ccxt ${micros(row.p99)} (goal: lower) → ${verdict(mine.p99 < row.p99)}`,
        )
      }
    }
  }
  return goals.length === 0 ? table : `${table}\n\n${goals.join('\n')}`
}
