import { CHANNELS, TickmeshError } from '@tickmesh/core'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { formatDuration } from '../duration'
import { printError } from '../io'
import { addLiveOptions, type LiveOptions, parseChannels, parseInteger } from '../options'
import { parseLiveSettings, runLive } from './live-run'
import { formatBytes, openRecorder, type Recorder } from './recorder'

interface RecordOptions extends LiveOptions {
  out: string
  channels: string
  depth: string
}

const PUBLIC_CHANNELS = CHANNELS.filter((channel) => channel !== 'orders' && channel !== 'balances')

export function registerRecord(program: Command, context: CliContext): void {
  const command = program
    .command('record')
    .description('record raw venue frames and REST responses to a file for exact offline replay')
    .argument('<symbols...>', 'unified symbols, e.g. BTC/USDT ETH/USDT')
    .requiredOption('--out <file>', 'recording file (.ndjson, or .ndjson.gz to compress)')
    .option(
      '--channels <list>',
      `channels to record (${PUBLIC_CHANNELS.join(',')})`,
      'ticker,trades,bbo,book',
    )
    .option('--depth <n>', 'book levels per side the adapters keep', '20')
  addLiveOptions(command)
    .addHelpText(
      'after',
      `
The file holds one JSON line per frame ({"t","venue","market","kind","url","data"}); authentication
frames and credentials in URLs are never written. Replay it with tickmesh replay.

Examples:
  $ tickmesh record BTC/USDT ETH/USDT --out session.ndjson.gz --duration 10m
  $ tickmesh record BTC/USDT --sim --channels book,trades --out book.ndjson --duration 30s`,
    )
    .action(async (symbols: string[], raw: RecordOptions) => {
      const settings = parseLiveSettings(context, symbols, raw)
      const channels = parseChannels(raw.channels, PUBLIC_CHANNELS)
      const depth = parseInteger('--depth', raw.depth, 1, 1000)
      await recordSession(context, settings, channels, depth, raw.out, null)
    })
}

/**
 * Runs a live session writing every raw item to `path`; `attach` (from `stream --record`) also
 * gets the normalized events. Prints a live count to a terminal's stderr and a summary at the end.
 */
export async function recordSession(
  context: CliContext,
  settings: ReturnType<typeof parseLiveSettings>,
  channels: ReturnType<typeof parseChannels>,
  depth: number,
  path: string,
  attach: Parameters<typeof runLive>[3] | null,
): Promise<void> {
  const { io } = context
  const startedAt = Date.now()
  let stopRun: (() => void) | null = null
  let failedEarly = false
  // Opened before the session so not even the first REST response is missed.
  const recorder: Recorder = openRecorder(io, path, () => {
    if (stopRun === null) failedEarly = true
    else stopRun()
  })
  let progress: ReturnType<typeof setInterval> | null = null
  const live = io.stderr.isTTY === true
  try {
    await runLive(context, settings, { channels, depth, onRaw: recorder.onRaw }, async (run) => {
      stopRun = () => run.stop.stop('end')
      if (failedEarly) stopRun()
      if (live) {
        const writer = recorder.writer
        progress = setInterval(() => {
          io.stderr.write(
            `\rrecording ${path}: ${writer.messages} messages, ${formatBytes(writer.bytes)}, ${formatDuration(Date.now() - startedAt)}   `,
          )
        }, 500)
      }
      await attach?.(run)
    })
  } finally {
    if (progress !== null) clearInterval(progress)
    await recorder.close().catch(() => undefined)
    if (live) io.stderr.write('\r\x1b[K')
    const writer = recorder.writer
    if (recorder.failure === null && settings.json) {
      io.stdout.write(
        `${JSON.stringify({
          kind: 'recording',
          path,
          messages: writer.messages,
          bytes: writer.bytes,
          droppedSensitive: writer.droppedSensitive,
          droppedOverflow: writer.droppedOverflow,
          durationMs: Date.now() - startedAt,
        })}\n`,
      )
    }
    if (recorder.failure === null) {
      printError(
        io,
        `Recorded ${writer.messages} messages (${formatBytes(writer.bytes)}) to ${path} in ${formatDuration(Date.now() - startedAt)}${
          writer.droppedSensitive > 0 ? `; left out ${writer.droppedSensitive} authentication frames` : ''
        }${writer.droppedOverflow > 0 ? `; dropped ${writer.droppedOverflow} (disk too slow)` : ''}.`,
      )
    }
  }
  const failed = recorder.failure
  if (failed) {
    throw new TickmeshError(`Writing the recording ${path} failed.`, {
      hint: 'Check free disk space and permissions of the folder.',
      cause: failed,
      details: { path },
    })
  }
}
