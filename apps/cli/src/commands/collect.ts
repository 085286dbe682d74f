import { ConfigError } from '@tickmesh/core'
import { parseNatsUrl, parseShard } from '@tickmesh/nats'
import type { Command } from 'commander'
import { parseBytes } from '../collect/parse-bytes'
import { resolveSpillDir, runCollect } from '../collect/run-collect'
import type { CliContext } from '../context'
import { parseDuration } from '../duration'
import { UsageError } from '../errors'
import { addLiveOptions, type LiveOptions, parseChannels, parseInteger } from '../options'
import { parseLiveSettings } from './live-run'

interface CollectOptions extends LiveOptions {
  to: string
  shard?: string
  channels: string
  depth: string
  stream: string
  maxAge: string
  maxBytes: string
  spillDir?: string
  maxQueued: string
  metricsPort?: string
  metricsHost: string
}

export function registerCollect(program: Command, context: CliContext): void {
  const command = program
    .command('collect')
    .description('collect normalized events into NATS JetStream (long-running; shard across processes)')
    .argument('<symbols...>', 'unified symbols, e.g. BTC/USDT ETH/USDT')
    .requiredOption(
      '--to <url>',
      'NATS server(s), e.g. nats://127.0.0.1:4222 (comma-separated for a cluster)',
    )
    .option(
      '--shard <k/n>',
      'collect only the instruments shard k of n owns (stable hash of venue:market:symbol)',
    )
    .option(
      '--channels <list>',
      'channels to collect (ticker,trades,bbo,book,candles)',
      'trades,book,bbo,ticker',
    )
    .option('--depth <n>', 'book levels per side', '20')
    .option('--stream <name>', 'JetStream stream (created or checked at start)', 'TICKMESH')
    .option('--max-age <time>', 'stream retention: oldest message kept', '24h')
    .option('--max-bytes <size>', 'stream retention: bytes kept', '1GiB')
    .option('--spill-dir <dir>', 'where trades wait on disk while NATS is slow or down (default: temp dir)')
    .option('--max-queued <n>', 'events buffered in memory before books conflate and trades spill', '10000')
    .option('--metrics-port <port>', 'serve Prometheus metrics on this port (0 = any free port)')
    .option('--metrics-host <host>', 'address the metrics server listens on', '0.0.0.0')
  addLiveOptions(command).addHelpText(
    'after',
    `
Subjects are tickmesh.<kind>.<venue>.<market>.<symbol> (BTC/USDT → BTC-USDT). Each message carries a
Nats-Msg-Id (trade ids for trades), so a restarted or overlapping collector does not store a trade twice.
When NATS is slow or down, books and tickers conflate to the latest state and trades spill to disk and
are republished in order; every drop is counted in the metrics and the summary.

Examples:
  $ tickmesh collect BTC/USDT ETH/USDT --venues binance,okx --to nats://127.0.0.1:4222 --metrics-port 9464
  $ tickmesh collect BTC/USDT ETH/USDT SOL/USDT --to nats://nats:4222 --shard 1/2   # and --shard 2/2
  $ tickmesh collect BTC/USDT --sim --to nats://127.0.0.1:4222 --duration 1m`,
  )
  command.action(async (symbols: string[], raw: CollectOptions) => {
    const live = parseLiveSettings(context, symbols, raw)
    let shard: ReturnType<typeof parseShard> | undefined
    try {
      parseNatsUrl(raw.to)
      shard = raw.shard === undefined ? undefined : parseShard(raw.shard)
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(error.shortMessage, { hint: error.hint })
      throw error
    }
    if (!/^[A-Za-z0-9_-]+$/.test(raw.stream)) {
      throw new UsageError(`"${raw.stream}" is not a valid stream name.`, {
        hint: 'Use letters, digits, "-" and "_".',
      })
    }
    await runCollect(context, {
      live,
      natsUrl: raw.to,
      channels: parseChannels(raw.channels, ['ticker', 'trades', 'bbo', 'book', 'candles']),
      depth: parseInteger('--depth', raw.depth, 1, 1_000),
      shard,
      stream: {
        name: raw.stream,
        maxAgeMs: parseDuration(raw.maxAge, '--max-age'),
        maxBytes: parseBytes(raw.maxBytes, '--max-bytes'),
      },
      spillDir: resolveSpillDir(context.io.cwd, raw.spillDir),
      maxQueued: parseInteger('--max-queued', raw.maxQueued, 100, 10_000_000),
      metricsPort:
        raw.metricsPort === undefined ? null : parseInteger('--metrics-port', raw.metricsPort, 0, 65_535),
      metricsHost: raw.metricsHost,
    })
  })
}
