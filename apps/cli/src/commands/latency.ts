import type { VenueHealth } from '@tickmesh/aggregator'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { addLiveOptions, type LiveOptions } from '../options'
import { msCell } from '../ui/format-cells'
import { parseLiveSettings, runLive } from './live-run'

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
      const startedAt = Date.now()
      await runLive(context, settings, { channels: ['bbo', 'trades'] }, ({ session, stop }) => {
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
            `${JSON.stringify({ kind: 'latency', venue: entry.venue, messages: entry.messages, messagesPerSecond: entry.messages / seconds, ...entry.latency })}\n`,
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
    })
}
