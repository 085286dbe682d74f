import type { VenueHealth } from '@tickmesh/aggregator'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { addLiveOptions, type LiveOptions } from '../options'
import { msCell } from '../ui/format-cells'
import { parseLiveSettings, runLive } from './live-run'

/** Upper bounds (ms) of the histogram buckets; the last bucket is everything above. */
const BUCKET_BOUNDS = [1, 2, 5, 10, 20, 50, 100, 200, 500] as const
const BUCKET_LABELS = [
  '<1ms',
  '1-2',
  '2-5',
  '5-10',
  '10-20',
  '20-50',
  '50-100',
  '100-200',
  '200-500',
  '>=500',
]

/** Latency samples per venue in fixed buckets (fixed memory however long it runs). */
export class LatencyBuckets {
  readonly counts = new Map<string, Float64Array>()

  record(venue: string, latencyMs: number): void {
    let counts = this.counts.get(venue)
    if (counts === undefined) {
      counts = new Float64Array(BUCKET_BOUNDS.length + 1)
      this.counts.set(venue, counts)
    }
    let index = 0
    while (index < BUCKET_BOUNDS.length && latencyMs >= BUCKET_BOUNDS[index]!) index++
    counts[index]!++
  }

  /** One line per venue: the share of samples in each bucket, in percent. */
  lines(venues: readonly string[]): string[] {
    const header = `${'histogram'.padEnd(10)}${BUCKET_LABELS.map((label) => label.padStart(8)).join('')}`
    const rows = venues.map((venue) => {
      const counts = this.counts.get(venue)
      const total = counts?.reduce((sum, count) => sum + count, 0) ?? 0
      const cells = BUCKET_LABELS.map((_, index) =>
        (total === 0 ? '-' : `${Math.round(((counts?.[index] ?? 0) / total) * 100)}%`).padStart(8),
      )
      return `${venue.padEnd(10)}${cells.join('')}`
    })
    return [header, ...rows]
  }
}

export function registerLatency(program: Command, context: CliContext): void {
  const command = program
    .command('latency')
    .description(
      'measure per-venue latency (receive time minus venue time) and message rates, then print a table',
    )
    .argument('[symbols...]', 'symbols to subscribe (default BTC/USDT)')
  addLiveOptions(command)
    .addHelpText(
      'after',
      `
Latency includes the clock difference between this machine and the venue; sync your clock (NTP) first.
Runs for --duration (default 10s).

Examples:
  $ tickmesh latency --duration 30s
  $ tickmesh latency BTC/USDT ETH/USDT --venues binance,okx --json`,
    )
    .action(async (symbols: string[], raw: LiveOptions) => {
      const settings = parseLiveSettings(context, symbols.length > 0 ? symbols : ['BTC/USDT'], {
        ...raw,
        duration: raw.duration ?? '10s',
      })
      let health: VenueHealth[] = []
      const buckets = new LatencyBuckets()
      const startedAt = Date.now()
      await runLive(context, settings, { channels: ['bbo', 'trades'] }, ({ session, stop }) => {
        session.client.onEvent((event) => {
          if ('exchangeTime' in event && event.exchangeTime !== null && event.kind !== 'balance') {
            buckets.record(event.venue, event.receivedAt - event.exchangeTime)
          }
        })
        // Take the figures just before the sockets close.
        const take = (): void => {
          health = session.client.view.health()
        }
        stop.done.then(take, take)
      })
      const seconds = Math.max(0.001, (Date.now() - startedAt) / 1_000)
      const out = context.io.stdout
      if (settings.json) {
        for (const entry of health) {
          out.write(
            `${JSON.stringify({
              kind: 'latency',
              venue: entry.venue,
              messages: entry.messages,
              messagesPerSecond: entry.messages / seconds,
              ...entry.latency,
              histogram: Object.fromEntries(
                BUCKET_LABELS.map((label, index) => [label, buckets.counts.get(entry.venue)?.[index] ?? 0]),
              ),
            })}\n`,
          )
        }
        return
      }
      out.write(
        `${'venue'.padEnd(10)}${'messages'.padStart(10)}${'msg/s'.padStart(9)}${'p50'.padStart(9)}${'p90'.padStart(9)}${'p99'.padStart(9)}${'max'.padStart(9)}${'samples'.padStart(9)}\n`,
      )
      for (const entry of health) {
        const l = entry.latency
        out.write(
          `${entry.venue.padEnd(10)}${String(entry.messages).padStart(10)}${(entry.messages / seconds).toFixed(1).padStart(9)}${msCell(l.p50, 9)}${msCell(l.p90, 9)}${msCell(l.p99, 9)}${msCell(l.max, 9)}${String(l.count).padStart(9)}\n`,
        )
      }
      out.write('\n')
      for (const line of buckets.lines(health.map((entry) => entry.venue))) out.write(`${line}\n`)
    })
}
