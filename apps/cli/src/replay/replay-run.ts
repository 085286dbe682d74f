import { existsSync, statSync } from 'node:fs'
import {
  DecodeError,
  decodeRecordingLine,
  type Market,
  type MarketEvent,
  nowMs,
  type RawItem,
  type VenueId,
} from '@tickmesh/core'
import { UsageError } from '../errors'
import type { StopController } from '../stop'
import { FRAME_PROCESSORS, type ReplayProcessor } from './frame-processors'
import { readLines } from './read-lines'
import { ReplayClock } from './replay-clock'
import { ReplayFetch } from './replay-fetch'

export interface ReplayRunOptions {
  path: string
  /** Only this venue's lines (recordings), or the venue of a raw message file. */
  venue?: VenueId
  market?: Market
  /** Pace multiplier; Infinity = as fast as possible. Raw message files always replay at max. */
  speed: number
  /** Book levels per side the processors keep and emit. */
  depth: number
  emit: (event: MarketEvent) => void
  stop: StopController
  onWarning: (message: string) => void
}

export interface ReplayStats {
  format: 'recording' | 'raw'
  lines: number
  frames: number
  restResponses: number
  badLines: number
  restAnswered: number
  restUnanswered: number
}

/** Lines reported individually before the rest are only counted. */
const MAX_LINE_WARNINGS = 5

/**
 * Feeds a recording (or a file of raw exchange messages with `venue` and `market`) through the
 * venues' frame processors: the adapters' own decode and book code, with REST answered from the
 * recording. Deterministic and offline.
 */
export async function replayFile(options: ReplayRunOptions): Promise<ReplayStats> {
  const { path, stop } = options
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new UsageError(`Cannot open ${path}: no such file.`, {
      hint: 'Give a file made by tickmesh record, or a file of raw exchange messages with --venue and --market.',
      details: { path },
    })
  }
  const stats: ReplayStats = {
    format: 'recording',
    lines: 0,
    frames: 0,
    restResponses: 0,
    badLines: 0,
    restAnswered: 0,
    restUnanswered: 0,
  }
  const rest = new ReplayFetch()
  const processors = new Map<VenueId, ReplayProcessor>()
  const processorOf = (venue: VenueId): ReplayProcessor => {
    let processor = processors.get(venue)
    if (processor === undefined) {
      const create = FRAME_PROCESSORS[venue]
      if (create === undefined) {
        throw new UsageError(`Replaying ${venue} is not available in this build.`, {
          venue,
          hint: `Replayable venues: ${Object.keys(FRAME_PROCESSORS).join(', ')}; filter with --venue.`,
        })
      }
      processor = create({ emit: options.emit, fetch: rest.fetch, bookDepth: options.depth })
      processors.set(venue, processor)
    }
    return processor
  }
  const warn = (message: string): void => {
    stats.badLines++
    if (stats.badLines <= MAX_LINE_WARNINGS) options.onWarning(`Warning: ${message}`)
  }

  // First pass: which REST answers lie ahead, so a request nothing will answer fails at once.
  for await (const { text, line } of readLines(path)) {
    if (!text.includes('"rest"')) continue
    const item = decodeRecordingLine(text, line, path)
    if (!(item instanceof DecodeError) && item.kind === 'rest') rest.expect(item.url)
  }
  let mode: 'recording' | 'raw' | null = null
  let firstTime = Number.NaN
  let startedAt = 0
  const clock = new ReplayClock()
  try {
    for await (const { text, line } of readLines(path)) {
      if (stop.isStopped) break
      stats.lines = line
      if (text.trim().length === 0) continue
      let item: RawItem | DecodeError | null = null
      if (mode === null) {
        item = decodeRecordingLine(text, line, path)
        if (item instanceof DecodeError) {
          if (options.venue === undefined || options.market === undefined) {
            throw new UsageError(
              `${path} is not a tickmesh recording (line ${line} is not a recorded item).`,
              {
                hint: 'To replay raw exchange messages (one JSON message per line), give --venue and --market, e.g. --venue binance --market spot.',
                details: { path },
              },
            )
          }
          mode = 'raw'
          stats.format = 'raw'
        } else {
          mode = 'recording'
          clock.install()
        }
      }
      if (mode === 'raw') {
        const receivedAt = nowMs()
        processorOf(options.venue!).push(text, options.market!, receivedAt)
        stats.frames++
        continue
      }
      item ??= decodeRecordingLine(text, line, path)
      if (item instanceof DecodeError) {
        warn(item.shortMessage)
        continue
      }
      if (options.venue !== undefined && item.venue !== options.venue) continue
      if (options.market !== undefined && item.market !== options.market) continue
      if (Number.isFinite(options.speed)) {
        if (Number.isNaN(firstTime)) {
          firstTime = item.receivedAt
          startedAt = clock.realNow()
        }
        const due = (item.receivedAt - firstTime) / options.speed - (clock.realNow() - startedAt)
        if (due > 1) await sleep(due, stop, clock.realNow)
        if (stop.isStopped) break
      }
      clock.set(item.receivedAt)
      if (item.kind === 'rest') {
        stats.restResponses++
        // A snapshot handed to a waiting request is applied before the next frame, as it was live.
        if (rest.offer(item)) await settle()
        continue
      }
      processorOf(item.venue).push(item.data, item.market, item.receivedAt)
      stats.frames++
      if (rest.waiting > 0) await Promise.resolve()
    }
    await settle()
  } finally {
    rest.end()
    await settle()
    for (const processor of processors.values()) processor.close?.()
    stats.restAnswered = rest.answered
    stats.restUnanswered = rest.unanswered
    clock.restore()
  }
  if (stats.badLines > MAX_LINE_WARNINGS) {
    options.onWarning(`Warning: ${stats.badLines - MAX_LINE_WARNINGS} more unreadable lines were skipped.`)
  }
  return stats
}

/** Lets resolved REST answers run through the processor (response body, parse, book apply). */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

/** Waits `ms` in short steps so a stop (Ctrl-C, --duration) is honored promptly. */
async function sleep(ms: number, stop: StopController, now: () => number): Promise<void> {
  const until = now() + ms
  while (!stop.isStopped) {
    const left = until - now()
    if (left <= 0) return
    await new Promise<void>((resolve) => setTimeout(resolve, Math.min(left, 100)))
  }
}
