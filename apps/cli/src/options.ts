import {
  assertUnifiedSymbol,
  CHANNELS,
  type Channel,
  closestMatch,
  MARKETS,
  type Market,
  TickmeshError,
  VENUES,
  type VenueId,
} from '@tickmesh/core'
import { type Command, Option } from 'commander'
import { parseDuration } from './duration'
import { UsageError } from './errors'

/** Options every live streaming command takes. */
export interface LiveOptions {
  venues: string
  sim?: boolean
  seed?: string
  market: string
  duration?: string
  json?: boolean
  connectTimeout: string
  config?: string
}

/** Adds --venues, --market, --sim, --seed, --duration, --json, --connect-timeout and --config. */
export function addLiveOptions(command: Command): Command {
  return command
    .option('--venues <list>', `comma-separated venues (${VENUES.join(',')})`, VENUES.join(','))
    .option('--market <market>', `market: ${MARKETS.join(', ')}`, 'spot')
    .option('--sim', 'run the built-in simulator on loopback and connect the real adapters to it')
    .option('--seed <n>', 'simulator seed (with --sim)')
    .option('--duration <time>', 'stop after this long (30s, 5m, 1h) and exit 0')
    .option('--json', 'print NDJSON (one JSON object per line)')
    .option('--connect-timeout <time>', 'how long a venue may take to connect', '10s')
    .option('--config <file>', 'tickmesh.config.json with credentials and endpoints')
}

export function parseVenues(text: string): VenueId[] {
  const venues: VenueId[] = []
  for (const raw of text.split(',')) {
    const name = raw.trim().toLowerCase()
    if (name === '') continue
    if (!(VENUES as readonly string[]).includes(name)) {
      const guess = closestMatch(name, VENUES)
      throw new UsageError(`Unknown venue "${raw.trim()}" in --venues.`, {
        hint: guess
          ? `Did you mean "${guess}"? Venues: ${VENUES.join(', ')}.`
          : `Venues: ${VENUES.join(', ')}.`,
        details: { venues: text },
      })
    }
    if (!venues.includes(name as VenueId)) venues.push(name as VenueId)
  }
  if (venues.length === 0) {
    throw new UsageError('--venues names no venue.', { hint: `Venues: ${VENUES.join(', ')}.` })
  }
  return venues
}

export function parseMarket(text: string): Market {
  const name = text.trim().toLowerCase()
  if ((MARKETS as readonly string[]).includes(name)) return name as Market
  throw new UsageError(`Unknown market "${text}".`, { hint: `Markets: ${MARKETS.join(', ')}.` })
}

/** Validates unified symbols, naming the right spelling for a venue spelling such as `BTCUSDT`. */
export function parseSymbols(symbols: readonly string[], market: Market): string[] {
  const result: string[] = []
  for (const symbol of symbols) {
    let normalized = symbol.trim()
    // Lower-case input is unambiguous: accept `btc/usdt` as `BTC/USDT`.
    if (/^[a-z0-9]+\/[a-z0-9]+(:[a-z0-9]+)?$/i.test(normalized)) normalized = normalized.toUpperCase()
    try {
      assertUnifiedSymbol(normalized, market)
    } catch (error) {
      if (error instanceof TickmeshError) {
        throw new UsageError(error.shortMessage, { hint: error.hint, details: { symbol, market } })
      }
      throw error
    }
    if (!result.includes(normalized)) result.push(normalized)
  }
  if (result.length === 0) {
    throw new UsageError('No symbol given.', { hint: 'Name at least one, e.g. BTC/USDT.' })
  }
  return result
}

export function parseChannels(text: string, allowed: readonly Channel[] = CHANNELS): Channel[] {
  const channels: Channel[] = []
  for (const raw of text.split(',')) {
    const name = raw.trim().toLowerCase()
    if (name === '') continue
    if (!(allowed as readonly string[]).includes(name)) {
      const guess = closestMatch(name, allowed)
      throw new UsageError(`Unknown channel "${raw.trim()}" in --channels.`, {
        hint: `${guess ? `Did you mean "${guess}"? ` : ''}Channels: ${allowed.join(', ')}.`,
      })
    }
    if (!channels.includes(name as Channel)) channels.push(name as Channel)
  }
  if (channels.length === 0) {
    throw new UsageError('--channels names no channel.', { hint: `Channels: ${allowed.join(', ')}.` })
  }
  return channels
}

export function parseInteger(flag: string, text: string, min: number, max: number): number {
  const value = Number(text)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${text}".`, {
      hint: `For example ${flag} ${Math.min(max, Math.max(min, 10))}.`,
    })
  }
  return value
}

export function parseNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be a number from ${min} to ${max}, got "${text}".`)
  }
  return value
}

export function optionalDuration(text: string | undefined, flag = '--duration'): number | null {
  return text === undefined ? null : parseDuration(text, flag)
}

/** `--speed 1|10|max`: a replay pace multiplier, or max = as fast as possible. */
export function parseSpeed(text: string): number {
  if (text.trim().toLowerCase() === 'max') return Number.POSITIVE_INFINITY
  const value = Number(text.replace(/x$/i, ''))
  if (!Number.isFinite(value) || value <= 0 || value > 10_000) {
    throw new UsageError(`--speed must be a positive multiplier or "max", got "${text}".`, {
      hint: 'Use --speed 1 (as recorded), --speed 10 (ten times faster) or --speed max.',
    })
  }
  return value
}

/** Hidden options (tests, power users) stay out of --help. */
export function hiddenOption(flags: string, description: string): Option {
  return new Option(flags, description).hideHelp()
}
