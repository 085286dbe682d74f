import { CHANNELS, type MarketEvent } from '@tickmesh/core'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { addLiveOptions, type LiveOptions, parseChannels, parseInteger } from '../options'
import { eventJson, eventLine } from '../output/format-event'
import { type LiveRun, parseLiveSettings, runLive } from './live-run'
import { recordSession } from './record'

interface StreamOptions extends LiveOptions {
  channels: string
  depth: string
  status?: boolean
  record?: string
}

const PUBLIC_CHANNELS = CHANNELS.filter((channel) => channel !== 'orders' && channel !== 'balances')

export function registerStream(program: Command, context: CliContext): void {
  const command = program
    .command('stream')
    .description('print the normalized events themselves, one per line (NDJSON with --json)')
    .argument('<symbols...>', 'unified symbols, e.g. BTC/USDT ETH/USDT (BTC/USDT:USDT with --market linear)')
    .option(
      '--channels <list>',
      `comma-separated channels (${PUBLIC_CHANNELS.join(',')})`,
      'ticker,trades,bbo',
    )
    .option('--depth <n>', 'book levels per side in book events', '10')
    .option('--no-status', 'leave out connection status and error events')
    .option('--record <file>', 'also record the raw frames to this file (see tickmesh record)')
  addLiveOptions(command)
    .addHelpText(
      'after',
      `
Examples:
  $ tickmesh stream BTC/USDT --sim --duration 10s
  $ tickmesh stream BTC/USDT ETH/USDT --channels trades --venues binance,okx --json | jq .price
  $ tickmesh stream BTC/USDT --channels book --depth 5 --json --sim`,
    )
    .action(async (symbols: string[], raw: StreamOptions) => {
      const settings = parseLiveSettings(context, symbols, raw)
      const channels = parseChannels(raw.channels, PUBLIC_CHANNELS)
      const depth = parseInteger('--depth', raw.depth, 1, 1000)
      const withStatus = raw.status !== false
      const body = ({ session, out }: LiveRun): void => {
        const print = settings.json
          ? (event: MarketEvent) => out.line(eventJson(event, depth))
          : (event: MarketEvent) => out.line(eventLine(event, depth))
        session.client.onEvent((event) => {
          if (!withStatus && (event.kind === 'status' || event.kind === 'error')) return
          print(event)
        })
      }
      if (raw.record !== undefined) await recordSession(context, settings, channels, depth, raw.record, body)
      else await runLive(context, settings, { channels, depth }, body)
    })
}
