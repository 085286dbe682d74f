import type { Command } from 'commander'
import type { CliContext } from '../context'
import { parseDuration } from '../duration'
import { colorEnabled } from '../io'
import { addLiveOptions, type LiveOptions, parseInteger } from '../options'
import { parseLiveSettings, runLive } from './live-run'

interface BookOptions extends LiveOptions {
  depth: string
  interval: string
}

export function registerBook(program: Command, context: CliContext): void {
  const command = program
    .command('book')
    .description('the consolidated L2 order book of one symbol across venues, live')
    .argument('<symbol>', 'unified symbol, e.g. BTC/USDT')
    .option('--depth <n>', 'levels per side', '20')
    .option('--interval <time>', 'with --json or without a terminal: print the book this often', '1s')
  addLiveOptions(command)
    .addHelpText(
      'after',
      `
Examples:
  $ tickmesh book BTC/USDT --sim
  $ tickmesh book ETH/USDT --depth 5 --json --duration 10s`,
    )
    .action(async (symbol: string, raw: BookOptions) => {
      const settings = parseLiveSettings(context, [symbol], raw)
      const depth = parseInteger('--depth', raw.depth, 1, 500)
      const intervalMs = parseDuration(raw.interval, '--interval')
      const group = settings.symbols[0]!
      const screen = !settings.json && context.io.stdout.isTTY === true
      if (screen) {
        const { runBookView } = await import('../ui/run-book')
        await runLive(context, settings, { channels: ['book'], depth, quietWarnings: true }, (run) =>
          runBookView(
            context,
            run,
            group,
            depth,
            colorEnabled(context.io),
            settings.sim ? 'simulator' : 'live venues',
          ),
        )
        return
      }
      await runLive(context, settings, { channels: ['book'], depth }, ({ session, out, stop }) => {
        const print = (): void => {
          const book = session.client.view.book(group, depth)
          if (book === null) return
          if (settings.json) out.line(JSON.stringify({ kind: 'consolidatedBook', ...book }))
          else {
            const bid = book.bids[0]
            const ask = book.asks[0]
            out.line(
              `${new Date(book.asOf).toISOString().slice(11, 23)} ${group} best bid ${bid ? `${bid.price} (${bid.venue})` : '-'}  best ask ${ask ? `${ask.price} (${ask.venue})` : '-'}  levels ${book.bids.length}x${book.asks.length}  venues ${book.venues.join(',')}`,
            )
          }
        }
        const timer = setInterval(print, intervalMs)
        const end = (): void => {
          clearInterval(timer)
        }
        stop.done.then(end, end)
        session.failure.catch(end)
      })
    })
}
