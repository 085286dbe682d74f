import { readFileSync, statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import {
  type Credentials,
  type CredentialsInput,
  createCredentials,
  safeParseJson,
  TickmeshError,
  VENUES,
  type VenueId,
} from '@tickmesh/core'
import { UsageError } from './errors'
import type { CliIo } from './io'

/** What the CLI knows about one venue beyond its defaults. */
export interface VenueConfig {
  credentials?: Credentials
  /** Endpoint overrides (testnet, proxy, a simulator elsewhere). */
  wsUrl?: string
  restUrl?: string
}

export interface CliConfig {
  venues: Partial<Record<VenueId, VenueConfig>>
  /** The file read, when one was. */
  path: string | null
  /** Things the user should know (a config readable by others); printed to stderr, never secrets. */
  warnings: string[]
}

export const DEFAULT_CONFIG_FILE = 'tickmesh.config.json'

const FILE_FIELDS = ['apiKey', 'secret', 'passphrase', 'privateKeyPem', 'wsUrl', 'restUrl'] as const
type FileField = (typeof FILE_FIELDS)[number]

/**
 * Loads credentials and endpoint overrides from the environment (`TICKMESH_BINANCE_API_KEY`,
 * `…_API_SECRET`, `…_PASSPHRASE`, `…_PRIVATE_KEY_PEM`, `…_WS_URL`, `…_REST_URL`) and from
 * `tickmesh.config.json` (the `--config` path, else the working directory's file when present).
 * The environment wins over the file. Secret values never appear in errors or warnings.
 */
export function loadConfig(io: CliIo, configPath?: string): CliConfig {
  const config: CliConfig = { venues: {}, path: null, warnings: [] }
  const explicit = configPath !== undefined
  const path = resolvePath(io.cwd, configPath ?? DEFAULT_CONFIG_FILE)
  const fromFile = readConfigFile(path, explicit, config)
  for (const venue of VENUES) {
    const fields: Partial<Record<FileField, string>> = { ...fromFile[venue] }
    const prefix = `TICKMESH_${venue.toUpperCase()}_`
    const fromEnv: [FileField, string][] = [
      ['apiKey', 'API_KEY'],
      ['secret', 'API_SECRET'],
      ['passphrase', 'PASSPHRASE'],
      ['privateKeyPem', 'PRIVATE_KEY_PEM'],
      ['wsUrl', 'WS_URL'],
      ['restUrl', 'REST_URL'],
    ]
    for (const [field, suffix] of fromEnv) {
      const value = io.env[prefix + suffix]
      if (value !== undefined && value !== '') fields[field] = value
    }
    const entry: VenueConfig = {}
    if (fields.wsUrl !== undefined) entry.wsUrl = fields.wsUrl
    if (fields.restUrl !== undefined) entry.restUrl = fields.restUrl
    if (fields.apiKey !== undefined) {
      const input: CredentialsInput = { apiKey: fields.apiKey }
      if (fields.secret !== undefined) input.secret = fields.secret
      if (fields.passphrase !== undefined) input.passphrase = fields.passphrase
      if (fields.privateKeyPem !== undefined) input.privateKeyPem = fields.privateKeyPem
      try {
        entry.credentials = createCredentials(input)
      } catch (error) {
        throw new UsageError(`The ${venue} credentials are incomplete.`, {
          venue,
          hint: `Set ${prefix}API_SECRET (or ${prefix}PRIVATE_KEY_PEM) along with ${prefix}API_KEY, or fill "secret" in the config file.`,
          cause: error instanceof TickmeshError ? new Error(error.shortMessage) : undefined,
        })
      }
    }
    if (Object.keys(entry).length > 0) config.venues[venue] = entry
  }
  return config
}

function resolvePath(cwd: string, path: string): string {
  return isAbsolute(path) ? path : join(cwd, path)
}

function readConfigFile(
  path: string,
  explicit: boolean,
  config: CliConfig,
): Partial<Record<VenueId, Partial<Record<FileField, string>>>> {
  let text: string
  let mode: number
  try {
    mode = statSync(path).mode
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if (!explicit) return {}
    throw new UsageError(`Cannot read the config file ${path}.`, {
      hint: `Check the --config path; the file is JSON like {"venues":{"binance":{"apiKey":"…","secret":"…"}}}.`,
      details: { path, reason: (error as NodeJS.ErrnoException).code ?? 'unreadable' },
    })
  }
  config.path = path
  const parsed = safeParseJson(text)
  if (!parsed.success) {
    // The parser's message may quote the file's text, which can hold secrets: leave it out.
    throw new UsageError(`The config file ${path} is not valid JSON.`, {
      hint: 'Fix the syntax; the file is JSON like {"venues":{"binance":{"apiKey":"…","secret":"…"}}}.',
      details: { path },
    })
  }
  const root = parsed.value
  const venues =
    root !== null && typeof root === 'object' && !Array.isArray(root)
      ? (root as Record<string, unknown>).venues
      : undefined
  if (venues === undefined) return {}
  if (venues === null || typeof venues !== 'object' || Array.isArray(venues)) {
    throw new UsageError(`"venues" in ${path} must be an object keyed by venue.`, {
      hint: `Use {"venues":{"binance":{"apiKey":"…","secret":"…"}}}; venues: ${VENUES.join(', ')}.`,
      details: { path },
    })
  }
  const result: Partial<Record<VenueId, Partial<Record<FileField, string>>>> = {}
  let hasSecret = false
  for (const [name, value] of Object.entries(venues as Record<string, unknown>)) {
    if (!(VENUES as readonly string[]).includes(name)) {
      throw new UsageError(`Unknown venue "${name}" in ${path}.`, {
        hint: `Venues: ${VENUES.join(', ')}.`,
        details: { path },
      })
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new UsageError(`venues.${name} in ${path} must be an object.`, { details: { path } })
    }
    const fields: Partial<Record<FileField, string>> = {}
    for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
      if (!(FILE_FIELDS as readonly string[]).includes(key)) {
        throw new UsageError(`Unknown setting venues.${name}.${key} in ${path}.`, {
          hint: `Settings: ${FILE_FIELDS.join(', ')}.`,
          details: { path },
        })
      }
      if (typeof field !== 'string') {
        throw new UsageError(`venues.${name}.${key} in ${path} must be a string.`, { details: { path } })
      }
      fields[key as FileField] = field
      if (key !== 'wsUrl' && key !== 'restUrl' && key !== 'apiKey') hasSecret = true
    }
    result[name as VenueId] = fields
  }
  // Group/other permission bits on a file holding secrets: warn, as ssh does for keys.
  if (hasSecret && process.platform !== 'win32' && (mode & 0o077) !== 0) {
    config.warnings.push(
      `Warning: ${path} holds API secrets and is readable by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 ${path}.`,
    )
  }
  return result
}
