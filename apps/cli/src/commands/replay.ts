import { isAbsolute, join } from 'node:path'
import { isVenueId, type Market, type MarketEvent, VENUES, type VenueId } from '@tickmesh/core'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { formatDuration } from '../duration'
import { UsageError } from '../errors'
import { printError } from '../io'
import { optionalDuration, parseInteger, parseMarket, parseSpeed } from '../options'
import { eventJson, eventLine } from '../output/format-event'
import { LineWriter } from '../output/line-writer'
import { replayFile } from '../replay/replay-run'
import { StopController } from '../stop'

interface ReplayOptions {
  speed: string
  json?: boolean
  depth: string
  venue?: string
  market?: string
  duration?: string
  status?: boolean
}

export function registerReplay(program: Command, context: CliContext): void {
  program
    .command('replay')
    .description('replay a recording offline through the adapters’ own decode and book logic')
    .argument(
      '<file>',
      'a tickmesh recording (.ndjson / .ndjson.gz), or raw exchange messages with --venue and --market',
    )
    .option('--speed <x>', 'pace: 1 = as recorded, 10 = ten times faster, max = no waiting', 'max')
    .option('--json', 'print NDJSON (one normalized event per line)')
    .option('--depth <n>', 'book levels per side in book events', '10')
    .option('--venue <venue>', `only this venue; required for raw message files (${VENUES.join(', ')})`)
    .option('--market <market>', 'only this market; required for raw message files (spot, linear, inverse)')
    .option('--duration <time>', 'stop after this long')
    .option('--no-status', 'leave out status and error events')
    .addHelpText(
      'after',
      `
REST requests the adapters make during replay (book snapshots) are answered from the recording's
rest lines with the same path, in order. No network is used.

Examples:
  $ tickmesh replay session.ndjson.gz --json > events.ndjson
  $ tickmesh replay session.ndjson --speed 10
  $ tickmesh replay trades.jsonl --venue binance --market spot --json`,
    )
    .action(async (file: string, raw: ReplayOptions) => {
      const { io } = context
      const speed = parseSpeed(raw.speed)
      const depth = parseInteger('--depth', raw.depth, 1, 1000)
      let venue: VenueId | undefined
      if (raw.venue !== undefined) {
        const name = raw.venue.trim().toLowerCase()
        if (!isVenueId(name)) {
          throw new UsageError(`Unknown venue "${raw.venue}" in --venue.`, {
            hint: `Venues: ${VENUES.join(', ')}.`,
          })
        }
        venue = name
      }
      const market: Market | undefined = raw.market === undefined ? undefined : parseMarket(raw.market)
      const durationMs = optionalDuration(raw.duration)
      const withStatus = raw.status !== false
      const stop = new StopController(durationMs, io.signal)
      const out = new LineWriter(io.stdout, () => stop.stop('end'))
      const print =
        raw.json === true
          ? (event: MarketEvent) => out.line(eventJson(event, depth))
          : (event: MarketEvent) => out.line(eventLine(event, depth))
      let events = 0
      const startedAt = Date.now()
      try {
        const stats = await replayFile({
          path: isAbsolute(file) ? file : join(io.cwd, file),
          ...(venue === undefined ? {} : { venue }),
          ...(market === undefined ? {} : { market }),
          speed,
          depth,
          emit: (event) => {
            if (!withStatus && (event.kind === 'status' || event.kind === 'error')) return
            events++
            print(event)
          },
          stop,
          onWarning: (message) => printError(io, message),
        })
        printError(
          io,
          `Replayed ${stats.frames} frames${stats.restResponses > 0 ? ` and ${stats.restResponses} REST responses` : ''} from ${file} into ${events} events in ${formatDuration(Math.max(1, Date.now() - startedAt))}${
            stats.badLines > 0 ? `; skipped ${stats.badLines} unreadable lines` : ''
          }${stats.restUnanswered > 0 ? `; ${stats.restUnanswered} REST requests had no recorded answer` : ''}.`,
        )
      } finally {
        stop.dispose()
        await out.flush()
        out.dispose()
      }
    })
}
