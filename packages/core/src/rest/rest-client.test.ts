import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ConnectionTimeoutError, RateLimitError, RestError } from '../errors'
import type { RestRawResponse } from './rest-client'
import { buildRestUrl, createRestClient, parseRetryAfterMs } from './rest-client'

type Handler = (request: IncomingMessage, response: ServerResponse, index: number) => void

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
})

async function serve(handler: Handler): Promise<{ url: string; requests: { url: string; at: number }[] }> {
  const requests: { url: string; at: number }[] = []
  const server = createServer((request, response) => {
    requests.push({ url: request.url ?? '', at: Date.now() })
    handler(request, response, requests.length - 1)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`, requests }
}

function json(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers })
  response.end(body)
}

describe('createRestClient', () => {
  it('GETs JSON with the query, keeping the base path, and hands the raw text to onRaw', async () => {
    const server = await serve((_request, response) => json(response, 200, '{"lastUpdateId":42}'))
    const raws: RestRawResponse[] = []
    const client = createRestClient({ baseUrl: server.url, venue: 'binance', onRaw: (raw) => raws.push(raw) })
    const result = await client.get<{ lastUpdateId: number }>('/v3/depth', {
      symbol: 'BTCUSDT',
      limit: 5,
      skip: undefined,
    })
    expect(result.value.lastUpdateId).toBe(42)
    expect(result.raw).toBe('{"lastUpdateId":42}')
    expect(server.requests[0]?.url).toBe('/api/v3/depth?symbol=BTCUSDT&limit=5')
    expect(raws).toEqual([
      { url: result.url, status: 200, data: '{"lastUpdateId":42}', receivedAt: result.receivedAt },
    ])
  })

  it('retries a 429 after the Retry-After delay, then succeeds', async () => {
    const server = await serve((_request, response, index) =>
      index === 0 ? json(response, 429, '{"code":-1003}', { 'retry-after': '1' }) : json(response, 200, '[]'),
    )
    const client = createRestClient({ baseUrl: server.url, venue: 'binance', backoff: { baseDelayMs: 1 } })
    const result = await client.get('/v3/trades')
    expect(result.value).toEqual([])
    expect(server.requests).toHaveLength(2)
    const [first, second] = server.requests
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950)
  })

  it('retries 5xx with backoff and gives a RestError when retries run out', async () => {
    const server = await serve((_request, response) => json(response, 503, 'busy'))
    const client = createRestClient({
      baseUrl: server.url,
      venue: 'okx',
      retries: 2,
      backoff: { baseDelayMs: 5, maxDelayMs: 10 },
    })
    const error = await client.get('/x').catch((rejection: unknown) => rejection)
    expect(error).toBeInstanceOf(RestError)
    expect((error as RestError).status).toBe(503)
    expect((error as RestError).isRetryable).toBe(true)
    expect(server.requests).toHaveLength(3)
  })

  it('gives a RateLimitError with retryAfterMs when 429s persist', async () => {
    const server = await serve((_request, response) => json(response, 429, '{}', { 'retry-after': '0' }))
    const client = createRestClient({ baseUrl: server.url, venue: 'bybit', retries: 1 })
    const error = await client.get('/x').catch((rejection: unknown) => rejection)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfterMs).toBe(0)
    expect(server.requests).toHaveLength(2)
  })

  it('never retries a 418 IP ban and reports it as a RateLimitError', async () => {
    const server = await serve((_request, response) => json(response, 418, '{}', { 'retry-after': '120' }))
    const client = createRestClient({ baseUrl: server.url, venue: 'binance' })
    const error = await client.get('/x').catch((rejection: unknown) => rejection)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfterMs).toBe(120_000)
    expect(server.requests).toHaveLength(1)
  })

  it('fails at once when Retry-After exceeds maxRetryAfterMs', async () => {
    const server = await serve((_request, response) => json(response, 429, '{}', { 'retry-after': '3600' }))
    const client = createRestClient({ baseUrl: server.url, venue: 'binance' })
    await expect(client.get('/x')).rejects.toBeInstanceOf(RateLimitError)
    expect(server.requests).toHaveLength(1)
  })

  it('times out a silent server with ConnectionTimeoutError, retrying first', async () => {
    const server = await serve(() => {})
    const client = createRestClient({
      baseUrl: server.url,
      venue: 'coinbase',
      timeoutMs: 100,
      retries: 1,
      backoff: { baseDelayMs: 1 },
    })
    const error = await client.get('/products').catch((rejection: unknown) => rejection)
    expect(error).toBeInstanceOf(ConnectionTimeoutError)
    expect((error as ConnectionTimeoutError).timeoutMs).toBe(100)
    expect(server.requests).toHaveLength(2)
  })

  it('rejects a non-JSON body with a RestError quoting it, without retrying', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' })
      response.end('<html>captive portal</html>')
    })
    const client = createRestClient({ baseUrl: server.url, venue: 'binance' })
    const error = await client.get('/x').catch((rejection: unknown) => rejection)
    expect(error).toBeInstanceOf(RestError)
    expect((error as RestError).message).toContain('captive portal')
    expect((error as RestError).isRetryable).toBe(false)
    expect(server.requests).toHaveLength(1)
  })

  it('does not retry a 4xx refusal and keeps the venue body', async () => {
    const server = await serve((_request, response) =>
      json(response, 400, '{"code":-1121,"msg":"Invalid symbol."}'),
    )
    const client = createRestClient({ baseUrl: server.url, venue: 'binance' })
    const error = await client.get('/x').catch((rejection: unknown) => rejection)
    expect(error).toBeInstanceOf(RestError)
    expect((error as RestError).message).toContain('Invalid symbol.')
    expect(server.requests).toHaveLength(1)
  })
})

describe('rest helpers', () => {
  it('parses Retry-After seconds and HTTP dates', () => {
    expect(parseRetryAfterMs('2')).toBe(2_000)
    expect(parseRetryAfterMs(null)).toBeNull()
    expect(parseRetryAfterMs('soon')).toBeNull()
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5_000)
  })
  it('joins base, path and query', () => {
    expect(buildRestUrl('https://h/api/', 'v5/x', { a: 1, b: null, c: true })).toBe(
      'https://h/api/v5/x?a=1&c=true',
    )
  })
})
