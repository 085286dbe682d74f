import type { Command } from 'commander'
import type { CliContext } from '../context'
import { UsageError } from '../errors'
import { addLiveOptions, hiddenOption, type LiveOptions, parseInteger, parseNumber } from '../options'
import { MIN_UPDATE_INTERVAL_MS } from '../serve/dashboard-feed'
import { natsSourceDependencies } from '../serve/nats-source-deps'
import { serveDashboard } from '../serve/serve-dashboard'
import { parseLiveSettings } from './live-run'

interface ServeOptions extends LiveOptions {
  port: string
  host: string
  threshold: string
  notional: string
  updateInterval?: string
  assets?: string
  ai?: boolean
  from?: string
}

const DEFAULT_SYMBOLS = ['BTC/USDT', 'ETH/USDT']

export function registerServe(program: Command, context: CliContext): void {
  const command = program
    .command('serve')
    .description(
      'live web dashboard on localhost: price and spread charts per venue, best bid/ask, arbitrage timeline, venue health',
    )
    .argument('[symbols...]', `unified symbols (default ${DEFAULT_SYMBOLS.join(' ')})`)
    .option('--port <n>', 'HTTP port (0 = any free port)', '8080')
    .option('--host <address>', 'listen address (0.0.0.0 shows the page to your network)', '127.0.0.1')
    .option('--threshold <bps>', 'net edge (after taker fees) for an arbitrage opportunity, in bps', '10')
    .option(
      '--notional <amount>',
      'quote amount the arbitrage sizing walks the books for (0 = top of book)',
      '0',
    )
    .option('--from <url>', "read the venues' events from a collector's NATS JetStream (nats://host:4222)")
    .option('--ai', "in-process AI analyses (the AI worker's local analyst: sentiment, anomaly, signal)")
    .addOption(hiddenOption('--update-interval <ms>', 'ms between pushed updates (100 to 5000)'))
    .addOption(hiddenOption('--assets <dir>', 'serve the page from this directory (a vite build)'))
  addLiveOptions(command)
    .addHelpText(
      'after',
      `
Open the printed URL in a browser. The page updates live (at most 10 times a second), shows history
at once when opened late or reloaded, and reconnects by itself when the server restarts.

Examples:
  $ tickmesh serve --sim                           BTC/USDT and ETH/USDT against the built-in simulator
  $ tickmesh serve BTC/USDT SOL/USDT --port 9000   live venues
  $ tickmesh serve --from nats://127.0.0.1:4222    what \`tickmesh collect\` stores in NATS`,
    )
    .action(async (symbols: string[], raw: ServeOptions) => {
      const settings = parseLiveSettings(context, symbols.length > 0 ? symbols : DEFAULT_SYMBOLS, raw)
      let run = context
      if (raw.from !== undefined) {
        if (settings.sim) {
          throw new UsageError('--from and --sim both name where events come from.', {
            hint: 'Use --sim for the built-in simulator, or --from nats://… for what collectors publish.',
          })
        }
        run = { ...context, deps: natsSourceDependencies(raw.from, settings.venues, context.deps) }
      }
      await serveDashboard(run, settings, {
        port: parseInteger('--port', raw.port, 0, 65_535),
        host: raw.host,
        threshold: parseNumber('--threshold', raw.threshold, -10_000, 10_000) / 10_000,
        notional: parseNumber('--notional', raw.notional, 0, 1e12),
        json: settings.json,
        ai: raw.ai === true,
        ...(raw.from === undefined ? {} : { from: raw.from }),
        ...(raw.updateInterval === undefined
          ? {}
          : {
              updateIntervalMs: parseInteger(
                '--update-interval',
                raw.updateInterval,
                MIN_UPDATE_INTERVAL_MS,
                // The page treats 10 s without a message as a dead link.
                5_000,
              ),
            }),
        ...(raw.assets === undefined ? {} : { assetsDir: raw.assets }),
      })
    })
}
