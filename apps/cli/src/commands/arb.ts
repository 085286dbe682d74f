import type { Command } from 'commander'
import type { CliContext } from '../context'
import { addLiveOptions, type LiveOptions, parseNumber } from '../options'
import { opportunityJson, opportunityLine } from '../output/format-event'
import { parseLiveSettings, runLive } from './live-run'

interface ArbOptions extends LiveOptions {
  threshold: string
  notional: string
  updates?: boolean
}

export function registerArb(program: Command, context: CliContext): void {
  const command = program
    .command('arb')
    .description('cross-venue arbitrage opportunities as they open, change and close')
    .argument('<symbols...>', 'unified symbols, e.g. BTC/USDT ETH/USDT')
    .option('--threshold <bps>', 'net edge (after both taker fees) to open an opportunity, in bps', '10')
    .option('--notional <amount>', 'quote amount to size by walking both books (0 = top of book)', '0')
    .option('--updates', 'also print every change of an open opportunity, not only open and close')
  addLiveOptions(command)
    .addHelpText(
      'after',
      `
Edges are net of each venue's default taker fee (binance/bybit/okx 0.10%, coinbase 0.60%).

Examples:
  $ tickmesh arb BTC/USDT ETH/USDT --sim
  $ tickmesh arb BTC/USDT --venues binance,bybit,okx --threshold 2 --json`,
    )
    .action(async (symbols: string[], raw: ArbOptions) => {
      const settings = parseLiveSettings(context, symbols, raw)
      const threshold = parseNumber('--threshold', raw.threshold, -10_000, 10_000) / 10_000
      const notional = parseNumber('--notional', raw.notional, 0, 1e12)
      const channels = notional > 0 ? (['bbo', 'book'] as const) : (['bbo'] as const)
      await runLive(
        context,
        settings,
        { channels, view: { threshold, notional }, ...(notional > 0 ? { depth: 50 } : {}) },
        ({ session, out }) => {
          session.client.onOpportunity((event) => {
            if (event.type === 'updated' && raw.updates !== true) return
            out.line(settings.json ? opportunityJson(event) : opportunityLine(event))
          })
        },
      )
    })
}
