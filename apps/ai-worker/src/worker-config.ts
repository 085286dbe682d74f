import { readFileSync } from 'node:fs'
import type { VenueId } from '@tickmesh/core'
import { assertUnifiedSymbol, ConfigError, isVenueId } from '@tickmesh/core'
import { z } from 'zod'
import { parseDuration } from './duration'
import { presetBaseUrl } from './gateway-presets'
import type { ModelRouting } from './model-routing'
import { DEFAULT_ROUTING, parseRouting } from './model-routing'
import type { ModelPrice, PriceTable } from './price-table'
import { DEFAULT_PRICES, parsePrices, priceOf } from './price-table'

/** Everything the worker runs with, resolved from flags > environment > config file > defaults. */
export interface WorkerConfig {
  symbols: string[]
  sim: boolean
  simSeed: number
  simTickIntervalMs: number | undefined
  venues: VenueId[] | undefined
  from: string | undefined
  /** Null = no gateway configured: the local analyst runs. Never printed. */
  apiKey: string | null
  baseUrl: string | null
  /** Force the local analyst even with a key. */
  local: boolean
  dryRun: boolean
  routing: ModelRouting
  prices: PriceTable
  budgetUsd: number
  digestEveryMs: number
  evaluateEveryMs: number
  windowMs: number
  shortWindowMs: number
  anomalyCooldownMs: number
  timeoutMs: number
  maxRetries: number
  concurrency: number
  maxOutputTokens: number
  structuredOutputs: boolean
  out: string | undefined
  /** Also publish every record to NATS (`tickmesh.analysis.<kind>.<symbol>`). */
  publish: string | undefined
  durationMs: number | undefined
}

/** Raw option values as commander gives them (strings and booleans). */
export interface RawFlags {
  sim?: boolean
  seed?: string
  simTick?: string
  venues?: string
  from?: string
  baseUrl?: string
  preset?: string
  config?: string
  local?: boolean
  dryRun?: boolean
  models?: string
  price?: string[]
  budgetUsd?: string
  digestEvery?: string
  evaluateEvery?: string
  window?: string
  shortWindow?: string
  anomalyCooldown?: string
  timeout?: string
  maxRetries?: string
  concurrency?: string
  maxOutputTokens?: string
  structuredOutputs?: boolean
  out?: string
  publish?: string
  duration?: string
}

const priceSchema = z.object({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
})

/** The config file (`--config file.json` or `TICKMESH_AI_CONFIG`): the same settings as the flags. */
export const configFileSchema = z
  .object({
    apiKey: z.string().min(1),
    baseUrl: z.string().url(),
    preset: z.string(),
    models: z.object({ sentiment: z.string(), anomaly: z.string(), signal: z.string() }).partial(),
    prices: z.record(z.string(), priceSchema),
    budgetUsd: z.number().nonnegative(),
    digestEvery: z.string(),
    timeout: z.string(),
    maxRetries: z.number().int().nonnegative(),
    concurrency: z.number().int().positive(),
    maxOutputTokens: z.number().int().positive(),
    structuredOutputs: z.boolean(),
    venues: z.array(z.string()),
    out: z.string(),
    publish: z.string(),
  })
  .partial()
  .strict()

export type ConfigFile = z.infer<typeof configFileSchema>

function readConfigFile(path: string): ConfigFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError(`Cannot read the config file ${path}.`, {
      cause: error,
      hint: 'Check the path given to --config.',
    })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new ConfigError(`The config file ${path} is not valid JSON.`, { cause: error })
  }
  const parsed = configFileSchema.safeParse(json)
  if (!parsed.success) {
    throw new ConfigError(`The config file ${path} has invalid settings.`, {
      details: {
        problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
      },
      hint: 'See the configuration table in the README.',
    })
  }
  return parsed.data
}

function positiveInt(text: string, what: string, min = 0): number {
  const value = Number(text)
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${what} must be an integer of at least ${min}.`, { details: { value: text } })
  }
  return value
}

function dollars(text: string): number {
  const value = Number(text)
  if (!Number.isFinite(value) || value < 0) {
    throw new ConfigError('--budget-usd must be a non-negative number of dollars.', {
      details: { value: text },
    })
  }
  return value
}

export function resolveConfig(
  symbols: readonly string[],
  flags: RawFlags,
  env: Readonly<Record<string, string | undefined>>,
): WorkerConfig {
  const configPath = flags.config ?? env.TICKMESH_AI_CONFIG
  const file: ConfigFile = configPath === undefined || configPath === '' ? {} : readConfigFile(configPath)
  const list = symbols.length > 0 ? [...symbols] : ['BTC/USDT']
  for (const symbol of list) assertUnifiedSymbol(symbol, 'spot')

  const preset = flags.preset ?? file.preset
  const baseUrl =
    flags.baseUrl ??
    (flags.preset === undefined ? undefined : presetBaseUrl(flags.preset)) ??
    nonEmpty(env.TICKMESH_AI_BASE_URL) ??
    file.baseUrl ??
    (preset === undefined ? undefined : presetBaseUrl(preset)) ??
    null
  const apiKey = nonEmpty(env.TICKMESH_AI_API_KEY) ?? file.apiKey ?? null
  const local = flags.local === true
  const dryRun = flags.dryRun === true
  if (apiKey !== null && baseUrl === null && !local && !dryRun) {
    // Never send a key to a host the user did not name.
    throw new ConfigError('An API key is set but no gateway is named.', {
      hint: 'Add --preset holysheep|openai|deepseek, --base-url <url> or TICKMESH_AI_BASE_URL.',
    })
  }

  let routing =
    file.models === undefined ? DEFAULT_ROUTING : { ...DEFAULT_ROUTING, ...definedOnly(file.models) }
  if (flags.models !== undefined) routing = parseRouting(flags.models, routing)
  const prices: Record<string, ModelPrice> = { ...DEFAULT_PRICES, ...file.prices }
  for (const entry of flags.price ?? []) Object.assign(prices, parsePrices(entry))
  // Every routed model needs a price, or its cost and the budget would be guesses.
  for (const model of Object.values(routing)) priceOf(prices, model)

  const venueList = flags.venues?.split(',').map((venue) => venue.trim()) ?? file.venues
  let venues: VenueId[] | undefined
  if (venueList !== undefined) {
    venues = []
    for (const venue of venueList) {
      if (!isVenueId(venue)) {
        throw new ConfigError(`Unknown venue "${venue}".`, { hint: 'Use binance, bybit, okx or coinbase.' })
      }
      venues.push(venue)
    }
  }

  const windowMs = parseDuration(flags.window ?? '5m', '--window')
  const shortWindowMs = parseDuration(flags.shortWindow ?? '30s', '--short-window')
  const budgetUsd = flags.budgetUsd !== undefined ? dollars(flags.budgetUsd) : (file.budgetUsd ?? 5)
  return {
    symbols: list,
    sim: flags.sim === true,
    simSeed: flags.seed === undefined ? 1 : positiveInt(flags.seed, '--seed'),
    simTickIntervalMs: flags.simTick === undefined ? undefined : parseDuration(flags.simTick, '--sim-tick'),
    venues,
    from: flags.from,
    apiKey,
    baseUrl,
    local,
    dryRun,
    routing,
    prices,
    budgetUsd,
    digestEveryMs: parseDuration(flags.digestEvery ?? file.digestEvery ?? '5m', '--digest-every'),
    evaluateEveryMs: parseDuration(flags.evaluateEvery ?? '1s', '--evaluate-every'),
    windowMs,
    shortWindowMs,
    anomalyCooldownMs: parseDuration(flags.anomalyCooldown ?? '1m', '--anomaly-cooldown'),
    timeoutMs: parseDuration(flags.timeout ?? file.timeout ?? '30s', '--timeout'),
    maxRetries:
      flags.maxRetries !== undefined
        ? positiveInt(flags.maxRetries, '--max-retries')
        : (file.maxRetries ?? 3),
    concurrency:
      flags.concurrency !== undefined
        ? positiveInt(flags.concurrency, '--concurrency', 1)
        : (file.concurrency ?? 4),
    maxOutputTokens:
      flags.maxOutputTokens !== undefined
        ? positiveInt(flags.maxOutputTokens, '--max-output-tokens', 1)
        : (file.maxOutputTokens ?? 1_000),
    structuredOutputs: flags.structuredOutputs ?? file.structuredOutputs ?? false,
    out: flags.out ?? file.out,
    publish: flags.publish ?? file.publish,
    durationMs: flags.duration === undefined ? undefined : parseDuration(flags.duration, '--duration'),
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}

function definedOnly<T extends object>(value: T): { [K in keyof T]-?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as {
    [K in keyof T]-?: Exclude<T[K], undefined>
  }
}
