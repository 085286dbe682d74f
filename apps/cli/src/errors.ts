import { ConfigError, TickmeshError, type TickmeshErrorOptions } from '@tickmesh/core'

/** Exit codes: 0 done, 1 a runtime failure (network, venue, file), 2 the command line was wrong. */
export const EXIT_OK = 0
export const EXIT_RUNTIME = 1
export const EXIT_USAGE = 2

/** The command line itself is wrong (bad flag value, unknown venue, misspelt symbol): exit code 2. */
export class UsageError extends ConfigError {
  override name = 'UsageError'
}

/** One venue that could not be reached, as reported by `VenuesUnreachableError`. */
export interface UnreachableVenue {
  venue: string
  endpoint: string
  timeoutMs: number
  /** The last thing the adapter said (a status reason or an error message). */
  reason: string | null
}

/** No data arrived from some venues within the connect timeout. */
export class VenuesUnreachableError extends TickmeshError {
  override name = 'VenuesUnreachableError'
  readonly venues: readonly UnreachableVenue[]
  constructor(venues: readonly UnreachableVenue[], options: TickmeshErrorOptions = {}) {
    const describe = (entry: UnreachableVenue, named: boolean): string =>
      `${named ? `${entry.venue}: ` : ''}no connection to ${entry.endpoint} within ${entry.timeoutMs} ms${
        entry.reason ? ` (${entry.reason})` : ''
      }`
    const only = venues.length === 1 ? venues[0] : undefined
    super(
      only !== undefined
        ? `Could not reach ${only.venue}: ${describe(only, false)}.`
        : `Could not reach ${venues.length} venues: ${venues.map((entry) => describe(entry, true)).join('; ')}.`,
      {
        hint: 'Check the network, a firewall or proxy (HTTPS_PROXY is honored), or raise --connect-timeout; to try tickmesh offline, add --sim to run against the built-in simulator.',
        isRetryable: true,
        ...options,
      },
      'CONNECTION_TIMEOUT',
    )
    this.venues = venues
  }
}

/** Which exit code an error deserves. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return EXIT_USAGE
  return EXIT_RUNTIME
}

/**
 * Turns an error into one paragraph for a terminal: what failed, the values involved that the
 * sentence does not already name, and what to try. Never a stack trace (set TICKMESH_DEBUG=1 for one).
 */
export function formatError(error: unknown, debug = false): string {
  if (error instanceof TickmeshError) {
    const parts = [error.shortMessage]
    const facts: string[] = []
    for (const [key, value] of Object.entries(error.details)) {
      if (value === undefined || value === null) continue
      const text = typeof value === 'string' ? value : safeStringify(value)
      if (error.shortMessage.includes(text)) continue
      facts.push(`${key}: ${text}`)
    }
    if (facts.length > 0) parts.push(`(${facts.join(', ')})`)
    if (error.hint) parts.push(error.hint)
    const cause = causeText(error.cause)
    if (cause !== null && !error.shortMessage.includes(cause)) parts.push(`Cause: ${cause}`)
    const text = `Error: ${parts.join(' ')}`
    return debug && error.stack ? `${text}\n${error.stack}` : text
  }
  if (error instanceof Error) {
    const text = `Error: ${error.message} This looks like a bug in tickmesh; please report it with the command you ran (TICKMESH_DEBUG=1 prints the stack).`
    return debug && error.stack ? `${text}\n${error.stack}` : text
  }
  return `Error: ${String(error)}`
}

function causeText(cause: unknown): string | null {
  if (cause instanceof TickmeshError) return cause.shortMessage
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code
    return typeof code === 'string' ? `${cause.message} (${code})` : cause.message
  }
  return null
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value)
  } catch {
    return String(value)
  }
}
