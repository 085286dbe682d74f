import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { DailyBudget } from './daily-budget'
import { GatewayClient } from './gateway-client'
import type { OpenAiTestServer } from './openai-test-server'
import { startOpenAiTestServer } from './openai-test-server'
import { DEFAULT_PRICES } from './price-table'

const schema = z.object({ verdict: z.enum(['up', 'down']), confidence: z.number().min(0).max(1) })
const request = { model: 'gpt-4.1', system: 'Answer in JSON.', prompt: 'BTC?', schema }

describe('gateway client against a loopback OpenAI-compatible server', () => {
  let server: OpenAiTestServer
  let client: GatewayClient | null = null
  const delays: number[] = []

  beforeEach(async () => {
    // json_object mode carries no schema (it is in the prompt); the SDK would warn on every call.
    ;(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false
    server = await startOpenAiTestServer()
    delays.length = 0
  })
  afterEach(async () => {
    client?.close()
    client = null
    await server.close()
  })

  function makeClient(extra: Partial<ConstructorParameters<typeof GatewayClient>[0]> = {}): GatewayClient {
    client = new GatewayClient({
      baseUrl: server.baseUrl,
      apiKey: 'sk-test-secret',
      prices: DEFAULT_PRICES,
      sleep: async (ms) => {
        delays.push(ms)
      },
      ...extra,
    })
    return client
  }

  it('returns the validated object and turns token usage into dollars', async () => {
    server.enqueue({
      content: { verdict: 'up', confidence: 0.7 },
      promptTokens: 1_000_000,
      completionTokens: 500_000,
    })
    const response = await makeClient().generate(request)
    expect(response.ok).toBe(true)
    if (!response.ok) return
    expect(response.value).toEqual({ verdict: 'up', confidence: 0.7 })
    expect(response.usage).toEqual({ inputTokens: 1_000_000, outputTokens: 500_000 })
    // gpt-4.1: $2 per MTok in, $8 per MTok out → 2 + 4.
    expect(response.costUsd).toBeCloseTo(6, 10)
    expect(response.attempts).toBe(1)
    expect(server.requests[0]!.model).toBe('gpt-4.1')
    expect(server.requests[0]!.authorization).toBe('Bearer sk-test-secret')
    expect(server.requests[0]!.body.response_format).toEqual({ type: 'json_object' })
  })

  it('retries a 429 after the Retry-After delay, then succeeds', async () => {
    server.enqueue(
      { status: 429, headers: { 'retry-after': '2' } },
      { content: { verdict: 'down', confidence: 0.4 } },
    )
    const response = await makeClient().generate(request)
    expect(response.ok).toBe(true)
    expect(response.attempts).toBe(2)
    expect(delays).toEqual([2_000])
    expect(server.requests).toHaveLength(2)
  })

  it('retries 5xx with exponential backoff and reports the last failure after maxRetries', async () => {
    server.fallback = () => ({ status: 503 })
    const response = await makeClient({ maxRetries: 2, random: () => 0.5 }).generate(request)
    expect(response.ok).toBe(false)
    if (response.ok) return
    expect(response.error.reason).toBe('http')
    expect(response.error.status).toBe(503)
    expect(response.attempts).toBe(3)
    expect(delays).toEqual([500, 1_000])
  })

  it('does not retry a 401 and says to check the key', async () => {
    server.enqueue({ status: 401, body: '{"error":{"message":"bad key"}}' })
    const response = await makeClient().generate(request)
    expect(response.ok).toBe(false)
    if (response.ok) return
    expect(response.attempts).toBe(1)
    expect(response.error.hint).toContain('TICKMESH_AI_API_KEY')
    expect(response.error.message).not.toContain('sk-test-secret')
  })

  it('fails at once when Retry-After is longer than the cap', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '3600' } })
    const response = await makeClient().generate(request)
    expect(response.ok).toBe(false)
    if (response.ok) return
    expect(response.error.reason).toBe('rate-limit')
    expect(delays).toEqual([])
  })

  it('retries invalid JSON once, showing the model the problem, then succeeds', async () => {
    server.enqueue(
      { content: 'Sure! The verdict is up.', promptTokens: 10, completionTokens: 10 },
      { content: { verdict: 'up', confidence: 0.9 }, promptTokens: 20, completionTokens: 10 },
    )
    const response = await makeClient().generate(request)
    expect(response.ok).toBe(true)
    expect(response.attempts).toBe(2)
    // Both attempts are paid for.
    expect(response.usage).toEqual({ inputTokens: 30, outputTokens: 20 })
    const repair = server.requests[1]!.messages
    expect(repair.at(-2)).toMatchObject({ role: 'assistant', content: 'Sure! The verdict is up.' })
    expect(String(repair.at(-1)!.content)).toContain('Your reply was rejected')
  })

  it('accepts JSON wrapped in a markdown code fence without a repair round', async () => {
    server.enqueue({ content: '```json\n{"verdict":"down","confidence":0.3}\n```' })
    const response = await makeClient().generate(request)
    expect(response.ok).toBe(true)
    expect(response.attempts).toBe(1)
  })

  it('reports output that fails the schema twice as a failed analysis', async () => {
    server.enqueue({ content: { verdict: 'sideways', confidence: 2 } }, { content: { verdict: 'up' } })
    const response = await makeClient().generate(request)
    expect(response.ok).toBe(false)
    if (response.ok) return
    expect(response.error.reason).toBe('invalid-output')
    expect(response.attempts).toBe(2)
    expect(server.requests).toHaveLength(2)
  })

  it('retries network errors, then reports the gateway unreachable', async () => {
    const closed = await startOpenAiTestServer()
    const baseUrl = closed.baseUrl
    await closed.close()
    const response = await makeClient({ baseUrl, maxRetries: 2, random: () => 0.5 }).generate(request)
    expect(response.ok).toBe(false)
    if (response.ok) return
    expect(response.error.reason).toBe('network')
    expect(response.error.code).toBe('CONNECTION_ERROR')
    expect(response.attempts).toBe(3)
    expect(delays).toEqual([500, 1_000])
  })

  it('times out a slow response', async () => {
    server.enqueue({ content: { verdict: 'up', confidence: 0.5 }, delayMs: 5_000 })
    const response = await makeClient({ timeoutMs: 150 }).generate(request)
    expect(response.ok).toBe(false)
    if (response.ok) return
    expect(response.error.reason).toBe('timeout')
    expect(response.error.code).toBe('CONNECTION_TIMEOUT')
    expect(response.attempts).toBe(1)
  })

  it('stops calling when the daily budget is spent', async () => {
    server.fallback = () => ({
      content: { verdict: 'up', confidence: 0.5 },
      promptTokens: 100_000,
      completionTokens: 0,
    })
    // Each call costs 100k × $2/MTok = $0.20; the estimate reserves far less, so the cap bites on spend.
    const budget = new DailyBudget(0.5)
    const gateway = makeClient({ budget, maxOutputTokens: 10 })
    const results = []
    for (let i = 0; i < 5; i++) results.push(await gateway.generate(request))
    expect(results.map((result) => result.ok)).toEqual([true, true, true, false, false])
    expect(server.requests).toHaveLength(3)
    const refused = results[3]!
    expect(!refused.ok && refused.error.reason).toBe('budget')
    expect(budget.snapshot()).toMatchObject({ calls: 3, refused: 2, exhausted: true })
    expect(budget.snapshot().spentUsd).toBeCloseTo(0.6, 10)
  })

  it('keeps at most `concurrency` requests in flight', async () => {
    let open = 0
    let peak = 0
    server.fallback = () => {
      open++
      peak = Math.max(peak, open)
      setTimeout(() => open--, 40)
      return { content: { verdict: 'up', confidence: 0.5 }, delayMs: 40 }
    }
    const gateway = makeClient({ concurrency: 2 })
    const results = await Promise.all(Array.from({ length: 6 }, () => gateway.generate(request)))
    expect(results.every((result) => result.ok)).toBe(true)
    expect(peak).toBeLessThanOrEqual(2)
  })
})
