import type { MarketEvent } from '@tickmesh/core'
import type { Command } from 'commander'
import { withNatsSource } from '../collect/nats-source-context'
import type { CliContext } from '../context'
import { colorEnabled } from '../io'
import { addLiveOptions, type LiveOptions, parseNumber } from '../options'
import { eventJson, opportunityJson } from '../output/format-event'
import { parseLiveSettings, runLive } from './live-run'

interface WatchOptions extends LiveOptions {
  threshold: string
  notional: string
  from?: string
}

export function registerWatch(program: Command, context: CliContext): void {
  const command = program
    .command('watch')
    .description(
      'live dashboard: every venue per symbol, the consolidated best bid/ask, arbitrage and venue health',
    )
    .argument('<symbols...>', 'unified symbols, e.g. BTC/USDT ETH/USDT')
    .option('--threshold <bps>', 'net edge (after taker fees) for an arbitrage opportunity, in bps', '10')
    .option(
      '--notional <amount>',
      'quote amount the arbitrage sizing walks the books for (0 = top of book)',
      '0',
    )
    .option('--from <url>', 'read what tickmesh collect stored in NATS (nats://host:4222)')
  addLiveOptions(command)
    .addHelpText(
      'after',
      `
In a terminal it draws a dashboard (q or Ctrl-C quits); when stdout is not a terminal, or with --json,
it prints NDJSON: the venues' ticker and bbo events, and {"kind":"arbitrage",…} lifecycle events.

Examples:
  $ tickmesh watch BTC/USDT ETH/USDT --sim
  $ tickmesh watch BTC/USDT --venues binance,okx,bybit
  $ tickmesh watch BTC/USDT --sim --json --duration 3s > quotes.ndjson`,
    )
    .action(async (symbols: string[], raw: WatchOptions) => {
      const settings = parseLiveSettings(context, symbols, raw)
      // --from: the venues' adapters become NATS sources; everything below runs unchanged.
      const source = raw.from === undefined ? context : withNatsSource(context, raw.from, settings.sim)
      const threshold = parseNumber('--threshold', raw.threshold, -10_000, 10_000) / 10_000
      const notional = parseNumber('--notional', raw.notional, 0, 1e12)
      const dashboard = !settings.json && source.io.stdout.isTTY === true
      const view = { threshold, notional }
      if (!dashboard) {
        await runLive(source, settings, { channels: ['ticker', 'bbo'], view }, ({ session, out }) => {
          session.client.onEvent((event: MarketEvent) => out.line(eventJson(event)))
          session.client.onOpportunity((event) => out.line(opportunityJson(event)))
        })
        return
      }
      // The UI (ink, React) loads only when a terminal will show it.
      const { runDashboard } = await import('../ui/run-dashboard')
      await runLive(source, settings, { channels: ['ticker', 'bbo'], view, quietWarnings: true }, (run) =>
        runDashboard(source, settings, run, colorEnabled(source.io)),
      )
    })
}
