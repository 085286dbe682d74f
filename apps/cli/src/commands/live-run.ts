import type { MarketViewOptions } from '@tickmesh/aggregator'
import type { Channel, Market, RawItem, VenueId } from '@tickmesh/core'
import { type CliConfig, loadConfig } from '../config'
import type { CliContext } from '../context'
import { parseDuration } from '../duration'
import { printError } from '../io'
import {
  type LiveOptions,
  optionalDuration,
  parseInteger,
  parseMarket,
  parseSymbols,
  parseVenues,
} from '../options'
import { LineWriter } from '../output/line-writer'
import { type LiveSession, openLiveSession } from '../session'
import { StopController, type StopReason } from '../stop'

/** The shared flags of live commands, parsed and checked. */
export interface LiveSettings {
  symbols: string[]
  venues: VenueId[]
  market: Market
  sim: boolean
  seed?: number
  durationMs: number | null
  json: boolean
  openTimeoutMs: number
  config: CliConfig
}

export function parseLiveSettings(
  context: CliContext,
  symbols: readonly string[],
  raw: LiveOptions,
): LiveSettings {
  const market = parseMarket(raw.market)
  const settings: LiveSettings = {
    symbols: parseSymbols(symbols, market),
    venues: parseVenues(raw.venues),
    market,
    sim: raw.sim === true,
    durationMs: optionalDuration(raw.duration),
    json: raw.json === true,
    openTimeoutMs: parseDuration(raw.connectTimeout, '--connect-timeout'),
    config: loadConfig(context.io, raw.config),
  }
  if (raw.seed !== undefined) settings.seed = parseInteger('--seed', raw.seed, 0, 4_294_967_295)
  return settings
}

export interface LiveRun {
  session: LiveSession
  stop: StopController
  out: LineWriter
  /** Warnings are printed to stderr unless the body takes them (the dashboard shows them). */
  warnings: string[]
}

export interface LiveRunOptions {
  channels: readonly Channel[]
  depth?: number
  view?: MarketViewOptions
  onRaw?: (item: RawItem) => void
  /** Keep warnings in `run.warnings` instead of printing them (full-screen UIs). */
  quietWarnings?: boolean
}

/**
 * Opens a live session, runs `body`, and waits for the end (duration, Ctrl-C, `run.stop.stop()`, a
 * closed stdout) or a fatal failure; then closes every socket and timer and flushes stdout.
 */
export async function runLive(
  context: CliContext,
  settings: LiveSettings,
  options: LiveRunOptions,
  body: (run: LiveRun) => void | Promise<void>,
): Promise<StopReason> {
  const { io } = context
  for (const warning of settings.config.warnings) printError(io, warning)
  const stop = new StopController(settings.durationMs, io.signal)
  const out = new LineWriter(io.stdout, () => stop.stop('end'))
  const warnings: string[] = []
  const onWarning = (message: string): void => {
    if (options.quietWarnings) {
      warnings.push(message)
      if (warnings.length > 20) warnings.shift()
    } else printError(io, message)
  }
  let session: LiveSession | null = null
  try {
    session = await openLiveSession({
      symbols: settings.symbols,
      venues: settings.venues,
      market: settings.market,
      channels: options.channels,
      ...(options.depth === undefined ? {} : { depth: options.depth }),
      sim: settings.sim,
      ...(settings.seed === undefined ? {} : { seed: settings.seed }),
      config: settings.config,
      openTimeoutMs: settings.openTimeoutMs,
      ...(options.onRaw === undefined ? {} : { onRaw: options.onRaw }),
      ...(options.view === undefined ? {} : { view: options.view }),
      deps: context.deps,
      onWarning,
    })
    const run: LiveRun = { session, stop, out, warnings }
    await body(run)
    const reason = await Promise.race([stop.done, session.failure])
    return reason
  } finally {
    stop.dispose()
    if (!stop.isStopped) stop.stop('end')
    await session?.close()
    await out.flush()
    out.dispose()
    if (out.dropped > 0) {
      printError(io, `Warning: ${out.dropped} lines were dropped because stdout was not read fast enough.`)
    }
  }
}
