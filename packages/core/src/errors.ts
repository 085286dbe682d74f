import type { VenueId } from './venues'

export type TickmeshErrorCode =
  | 'TICKMESH_ERROR'
  | 'CONNECTION_TIMEOUT'
  | 'CONNECTION_ERROR'
  | 'AUTHENTICATION_ERROR'
  | 'SUBSCRIPTION_ERROR'
  | 'RATE_LIMIT'
  | 'SEQUENCE_GAP'
  | 'CHECKSUM_MISMATCH'
  | 'DECODE_ERROR'
  | 'CONFIG_ERROR'
  | 'REST_ERROR'

export interface TickmeshErrorOptions {
  venue?: VenueId | null
  /** What to do about it, in one sentence. */
  hint?: string | null
  isRetryable?: boolean
  cause?: unknown
  /** Extra facts (values involved), shown on their own lines. */
  details?: Record<string, unknown>
}

/**
 * Base of every error tickmesh throws or emits. `message` combines a short message, the details and
 * the hint; `shortMessage` stays one line for dashboards.
 */
export class TickmeshError extends Error {
  override name = 'TickmeshError'
  readonly code: TickmeshErrorCode
  readonly venue: VenueId | null
  readonly hint: string | null
  readonly isRetryable: boolean
  readonly shortMessage: string
  readonly details: Record<string, unknown>

  constructor(
    shortMessage: string,
    options: TickmeshErrorOptions = {},
    code: TickmeshErrorCode = 'TICKMESH_ERROR',
  ) {
    const details = options.details ?? {}
    const lines = [shortMessage]
    for (const [key, value] of Object.entries(details)) {
      if (value !== undefined) lines.push(`  ${key}: ${formatDetail(value)}`)
    }
    if (options.hint) lines.push(`Hint: ${options.hint}`)
    super(lines.join('\n'), options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.venue = options.venue ?? null
    this.hint = options.hint ?? null
    this.isRetryable = options.isRetryable ?? false
    this.shortMessage = shortMessage
    this.details = details
  }
}

function formatDetail(value: unknown): string {
  if (typeof value === 'string') return value
  try {
    return JSON.stringify(value)
  } catch {
    return String(value)
  }
}

/** The socket did not open (or a request did not answer) within its timeout. */
export class ConnectionTimeoutError extends TickmeshError {
  override name = 'ConnectionTimeoutError'
  readonly endpoint: string
  readonly timeoutMs: number
  constructor(endpoint: string, timeoutMs: number, options: TickmeshErrorOptions = {}) {
    super(
      `Could not connect to ${endpoint} within ${timeoutMs} ms.`,
      {
        hint: 'Check the network, a firewall or proxy (HTTPS_PROXY is honored), or that the venue is reachable from here; offline, use the simulator (--sim).',
        isRetryable: true,
        ...options,
        details: { endpoint, timeoutMs, ...options.details },
      },
      'CONNECTION_TIMEOUT',
    )
    this.endpoint = endpoint
    this.timeoutMs = timeoutMs
  }
}

/** The connection failed or closed for a reason other than a timeout. */
export class ConnectionError extends TickmeshError {
  override name = 'ConnectionError'
  constructor(shortMessage: string, options: TickmeshErrorOptions = {}) {
    super(shortMessage, { isRetryable: true, ...options }, 'CONNECTION_ERROR')
  }
}

/** Login/auth was refused. `clockDriftMs` is set when the local clock is the likely cause. */
export class AuthenticationError extends TickmeshError {
  override name = 'AuthenticationError'
  readonly clockDriftMs: number | null
  readonly localTime: number | null
  readonly serverTime: number | null
  constructor(
    shortMessage: string,
    options: TickmeshErrorOptions & {
      clockDriftMs?: number | null
      localTime?: number | null
      serverTime?: number | null
    } = {},
  ) {
    const { clockDriftMs = null, localTime = null, serverTime = null, ...rest } = options
    super(
      shortMessage,
      {
        ...rest,
        details: {
          ...(clockDriftMs === null ? {} : { clockDriftMs, localTime, serverTime }),
          ...rest.details,
        },
      },
      'AUTHENTICATION_ERROR',
    )
    this.clockDriftMs = clockDriftMs
    this.localTime = localTime
    this.serverTime = serverTime
  }
}

/** A subscription was refused or named a stream/symbol that does not exist. */
export class SubscriptionError extends TickmeshError {
  override name = 'SubscriptionError'
  /** The venue's own words, when the venue refused. */
  readonly venueMessage: string | null
  constructor(shortMessage: string, options: TickmeshErrorOptions & { venueMessage?: string | null } = {}) {
    const { venueMessage = null, ...rest } = options
    super(
      shortMessage,
      { ...rest, details: { ...(venueMessage === null ? {} : { venueMessage }), ...rest.details } },
      'SUBSCRIPTION_ERROR',
    )
    this.venueMessage = venueMessage
  }
}

export class RateLimitError extends TickmeshError {
  override name = 'RateLimitError'
  readonly retryAfterMs: number | null
  constructor(shortMessage: string, options: TickmeshErrorOptions & { retryAfterMs?: number | null } = {}) {
    const { retryAfterMs = null, ...rest } = options
    super(
      shortMessage,
      { isRetryable: true, ...rest, details: { retryAfterMs, ...rest.details } },
      'RATE_LIMIT',
    )
    this.retryAfterMs = retryAfterMs
  }
}

/** A book or trade stream skipped sequence numbers; the book is resynced. */
export class SequenceGapError extends TickmeshError {
  override name = 'SequenceGapError'
  readonly expected: number | string | null
  readonly received: number | string | null
  constructor(
    shortMessage: string,
    options: TickmeshErrorOptions & {
      expected?: number | string | null
      received?: number | string | null
    } = {},
  ) {
    const { expected = null, received = null, ...rest } = options
    super(
      shortMessage,
      { isRetryable: true, ...rest, details: { expected, received, ...rest.details } },
      'SEQUENCE_GAP',
    )
    this.expected = expected
    this.received = received
  }
}

export class ChecksumError extends TickmeshError {
  override name = 'ChecksumError'
  readonly expected: number
  readonly computed: number
  constructor(shortMessage: string, options: TickmeshErrorOptions & { expected: number; computed: number }) {
    const { expected, computed, ...rest } = options
    super(
      shortMessage,
      { isRetryable: true, ...rest, details: { expected, computed, ...rest.details } },
      'CHECKSUM_MISMATCH',
    )
    this.expected = expected
    this.computed = computed
  }
}

/** A frame could not be understood. Emitted as an `error` event; the stream goes on. */
export class DecodeError extends TickmeshError {
  override name = 'DecodeError'
  readonly raw: string | null
  constructor(shortMessage: string, options: TickmeshErrorOptions & { raw?: string | null } = {}) {
    const { raw = null, ...rest } = options
    super(shortMessage, rest, 'DECODE_ERROR')
    this.raw = raw === null ? null : truncate(raw, 512)
  }
}

/** Settings are invalid. Thrown synchronously from factories; never retryable. */
export class ConfigError extends TickmeshError {
  override name = 'ConfigError'
  constructor(shortMessage: string, options: TickmeshErrorOptions = {}) {
    super(shortMessage, { ...options, isRetryable: false }, 'CONFIG_ERROR')
  }
}

/** A REST call failed (status, body excerpt). 429 and 5xx are retryable. */
export class RestError extends TickmeshError {
  override name = 'RestError'
  readonly status: number | null
  readonly url: string
  constructor(url: string, status: number | null, body: string, options: TickmeshErrorOptions = {}) {
    super(
      `REST request ${url} failed${status === null ? '' : ` with HTTP ${status}`}.`,
      {
        isRetryable: status === null || status === 429 || status >= 500,
        ...options,
        details: { url, status, body: truncate(body, 300), ...options.details },
      },
      'REST_ERROR',
    )
    this.status = status
    this.url = url
  }
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length} chars)`
}
