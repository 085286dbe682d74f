import { ConfigError, ConnectionError, ConnectionTimeoutError, RateLimitError, RestError } from '../errors'
import { nowMs } from '../events'
import type { VenueId } from '../venues'

export type RestQuery = Record<string, string | number | boolean | null | undefined>

/** One HTTP response as received, before parsing (what `tickmesh record` stores). */
export interface RestRawResponse {
  url: string
  status: number
  data: string
  receivedAt: number
}

export interface RestResponse<T> {
  /** The parsed JSON body. Not validated: callers decode it with their venue's schema. */
  value: T
  /** The body text exactly as received. */
  raw: string
  status: number
  url: string
  receivedAt: number
  headers: Headers
}

export interface RestClientOptions {
  /** Base URL; a path prefix is kept (`https://host/api` + `/v3/depth`). */
  baseUrl: string
  venue: VenueId
  /** Injectable for tests and proxies. Default global fetch. */
  fetch?: typeof fetch
  /** Per attempt, headers and body included. Default 10 000 ms. */
  timeoutMs?: number
  /** Retries after the first attempt for 429, 5xx, timeouts and network errors. Default 3. */
  retries?: number
  /** Backoff between retries when the server gives no Retry-After (full jitter). Default 250 / 5 000 ms. */
  backoff?: { baseDelayMs?: number; maxDelayMs?: number }
  /** A Retry-After longer than this is not waited for: the call fails at once. Default 60 000 ms. */
  maxRetryAfterMs?: number
  headers?: Record<string, string>
  /** Every response received (any status), before parsing. Must not throw (errors are ignored). */
  onRaw?: (response: RestRawResponse) => void
  /** Random source for jitter (tests seed it). */
  random?: () => number
}

export interface RestRequestOptions {
  signal?: AbortSignal
  headers?: Record<string, string>
}

export interface RestClient {
  readonly baseUrl: string
  /**
   * GET `path` with `query` (undefined/null values skipped) and parse the JSON body.
   * Throws ConnectionTimeoutError, ConnectionError, RateLimitError (429/418 exhausted or too long a
   * Retry-After) or RestError (other statuses, non-JSON body).
   */
  get<T = unknown>(path: string, query?: RestQuery, options?: RestRequestOptions): Promise<RestResponse<T>>
}

interface ReceivedResponse {
  status: number
  headers: Headers
  raw: string
  receivedAt: number
}

const DEFAULT_TIMEOUT_MS = 10_000
const DEFAULT_RETRIES = 3
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000

/** Retry-After is either delta-seconds or an HTTP date; null when absent or unparsable. */
export function parseRetryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (header === null || header.trim() === '') return null
  const trimmed = header.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

export function buildRestUrl(baseUrl: string, path: string, query?: RestQuery): string {
  const base = baseUrl.replace(/\/+$/, '')
  let url = path === '' ? base : `${base}${path.startsWith('/') ? '' : '/'}${path}`
  if (query !== undefined) {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null) params.append(key, String(value))
    }
    const search = params.toString()
    if (search !== '') url += `${url.includes('?') ? '&' : '?'}${search}`
  }
  return url
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason)
      return
    }
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** A small JSON-over-HTTP client for venue REST endpoints (snapshots, instruments, server time, backfill). */
export function createRestClient(options: RestClientOptions): RestClient {
  if (!/^https?:\/\//i.test(options.baseUrl)) {
    throw new ConfigError(`Invalid REST base URL ${JSON.stringify(options.baseUrl)}.`, {
      venue: options.venue,
      hint: 'REST base URLs start with https:// (or http:// for a local simulator).',
    })
  }
  const venue = options.venue
  // Resolved per call so a fetch patched after creation (tests, instrumentation) is used.
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const retries = Math.max(0, options.retries ?? DEFAULT_RETRIES)
  const baseDelay = options.backoff?.baseDelayMs ?? 250
  const maxDelay = options.backoff?.maxDelayMs ?? 5_000
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS
  const random = options.random ?? Math.random

  function backoffMs(retry: number): number {
    return Math.floor(random() * Math.min(maxDelay, baseDelay * 2 ** Math.min(retry, 20)))
  }

  async function attempt(url: string, requestOptions: RestRequestOptions): Promise<ReceivedResponse | Error> {
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, timeoutMs)
    const outer = requestOptions.signal
    const onOuterAbort = () => controller.abort(outer?.reason)
    outer?.addEventListener('abort', onOuterAbort, { once: true })
    try {
      const response = await fetchImpl(url, {
        method: 'GET',
        headers: { accept: 'application/json', ...options.headers, ...requestOptions.headers },
        signal: controller.signal,
      })
      // The body is read under the same timeout: a server that stalls mid-body is a timeout too.
      const raw = await response.text()
      return { status: response.status, headers: response.headers, raw, receivedAt: nowMs() }
    } catch (error) {
      if (timedOut) return new ConnectionTimeoutError(url, timeoutMs, { venue })
      if (outer?.aborted) throw outer.reason
      return new ConnectionError(`REST request ${url} failed: ${(error as Error).message}.`, {
        venue,
        cause: error,
        details: { url },
        hint: 'Check the network or proxy; the request is retried with backoff.',
      })
    } finally {
      clearTimeout(timer)
      outer?.removeEventListener('abort', onOuterAbort)
    }
  }

  return {
    baseUrl: options.baseUrl,
    async get<T = unknown>(path: string, query?: RestQuery, requestOptions: RestRequestOptions = {}) {
      const url = buildRestUrl(options.baseUrl, path, query)
      for (let retry = 0; ; retry++) {
        const result = await attempt(url, requestOptions)
        const canRetry = retry < retries
        if (result instanceof Error) {
          if (!canRetry) throw result
          await sleep(backoffMs(retry), requestOptions.signal)
          continue
        }
        const { raw, status, receivedAt } = result
        if (options.onRaw !== undefined) {
          try {
            options.onRaw({ url, status, data: raw, receivedAt })
          } catch {
            // A recorder failure must not fail the request.
          }
        }
        if (status === 429 || status === 418) {
          const retryAfterMs = parseRetryAfterMs(result.headers.get('retry-after'))
          // 418 is Binance's IP ban: waiting is the only remedy, retrying early extends the ban.
          if (status === 429 && canRetry && (retryAfterMs === null || retryAfterMs <= maxRetryAfterMs)) {
            await sleep(retryAfterMs ?? backoffMs(retry), requestOptions.signal)
            continue
          }
          throw new RateLimitError(`REST request ${url} was rate limited (HTTP ${status}).`, {
            venue,
            retryAfterMs,
            details: { url, status, attempts: retry + 1, body: raw.slice(0, 300) },
            hint:
              status === 418
                ? 'The venue banned this IP for ignoring rate limits; wait for Retry-After before any request.'
                : 'Slow down requests to this venue, or wait for Retry-After.',
          })
        }
        if (status >= 500) {
          if (canRetry) {
            await sleep(backoffMs(retry), requestOptions.signal)
            continue
          }
          throw new RestError(url, status, raw, {
            venue,
            details: { attempts: retry + 1 },
            hint: 'The venue is failing; try again later.',
          })
        }
        if (status < 200 || status >= 300) {
          throw new RestError(url, status, raw, {
            venue,
            hint: 'The venue refused the request; check the path, symbol and parameters.',
          })
        }
        let value: T
        try {
          value = JSON.parse(raw) as T
        } catch (error) {
          throw new RestError(url, status, raw, {
            venue,
            cause: error,
            isRetryable: false,
            hint: 'The body is not JSON: the URL may point at a web page, a proxy error or a captive portal.',
          })
        }
        return { value, raw, status, url, receivedAt, headers: result.headers }
      }
    },
  }
}
