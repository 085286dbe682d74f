import { createOpenAICompatible } from '@ai-sdk/openai-compatible'
import { parseRetryAfterMs } from '@tickmesh/core'
import type { ModelMessage } from 'ai'
import {
  APICallError,
  extractJsonMiddleware,
  generateText,
  NoObjectGeneratedError,
  Output,
  wrapLanguageModel,
} from 'ai'
import type { z } from 'zod'
import { ConcurrencyLimiter } from './concurrency-limiter'
import type { DailyBudget } from './daily-budget'
import { ModelCallError } from './model-call-error'
import type { PriceTable, TokenUsage } from './price-table'
import { costUsd, priceOf } from './price-table'

export interface GatewayClientOptions {
  /** OpenAI-compatible base URL, e.g. `https://api.holysheep.ai/v1` (requests go to `<base>/chat/completions`). */
  baseUrl: string
  /** Sent as `Authorization: Bearer …`; never logged. */
  apiKey?: string | undefined
  prices: PriceTable
  /** Daily cap; null for none. */
  budget?: DailyBudget | null
  /** Per attempt, ms. Default 30 000. */
  timeoutMs?: number
  /** Retries of 429, 5xx and network errors. Default 3. */
  maxRetries?: number
  /** Backoff: `min(maxDelay, base × 2^retry)` with ±20% jitter. Defaults 500 ms and 8 000 ms. */
  retryBaseDelayMs?: number
  retryMaxDelayMs?: number
  /** A `Retry-After` longer than this fails the call instead of waiting. Default 60 000. */
  maxRetryAfterMs?: number
  /** Model calls in flight at once. Default 4. */
  concurrency?: number
  /** Output tokens per answer (also the cost estimate reserved from the budget). Default 1 000. */
  maxOutputTokens?: number
  /** Send the JSON schema as `response_format: json_schema` (gateways that support it). Default false: `json_object` plus the schema in the prompt. */
  structuredOutputs?: boolean
  /** Injected for tests. */
  fetch?: typeof globalThis.fetch
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

export interface ModelRequest<T> {
  model: string
  system: string
  prompt: string
  schema: z.ZodType<T>
}

interface CallFacts {
  model: string
  /** HTTP requests made (retries and the repair request included). */
  attempts: number
  latencyMs: number
  usage: TokenUsage
  costUsd: number
}

export type ModelResponse<T> = ({ ok: true; value: T } | { ok: false; error: ModelCallError }) & CallFacts

/** Rough tokens of a text (≈4 characters per token for English and JSON), for budget estimates. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4)
}

/**
 * Structured calls to any OpenAI-compatible `/chat/completions` endpoint through the Vercel AI SDK,
 * with a timeout, retries honoring `Retry-After`, a concurrency limit, one repair round for invalid
 * output and the cost of every attempt charged to the daily budget. A failed call is a
 * `ModelResponse` with `ok: false`, never a throw; only a model without a price throws (`ConfigError`),
 * since its cost could not be tracked.
 */
export class GatewayClient {
  private readonly provider
  private readonly limiter: ConcurrencyLimiter
  private readonly timeoutMs: number
  private readonly maxRetries: number
  private readonly retryBaseDelayMs: number
  private readonly retryMaxDelayMs: number
  private readonly maxRetryAfterMs: number
  private readonly maxOutputTokens: number
  private readonly sleep: (ms: number) => Promise<void>
  private readonly random: () => number
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  private readonly inFlight = new Set<AbortController>()
  private closed = false

  constructor(private readonly options: GatewayClientOptions) {
    this.provider = createOpenAICompatible({
      name: 'gateway',
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      ...(options.apiKey === undefined || options.apiKey === '' ? {} : { apiKey: options.apiKey }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      supportsStructuredOutputs: options.structuredOutputs ?? false,
      includeUsage: true,
    })
    this.limiter = new ConcurrencyLimiter(options.concurrency ?? 4)
    this.timeoutMs = options.timeoutMs ?? 30_000
    this.maxRetries = options.maxRetries ?? 3
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 500
    this.retryMaxDelayMs = options.retryMaxDelayMs ?? 8_000
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000
    this.maxOutputTokens = options.maxOutputTokens ?? 1_000
    this.random = options.random ?? Math.random
    this.sleep = options.sleep ?? ((ms) => this.wait(ms))
  }

  /** Dollars reserved for a call with this prompt: its input estimate plus a full answer. */
  estimateCostUsd(model: string, system: string, prompt: string): number {
    return costUsd(priceOf(this.options.prices, model), {
      inputTokens: estimateTokens(system) + estimateTokens(prompt),
      outputTokens: this.maxOutputTokens,
    })
  }

  async generate<T>(request: ModelRequest<T>): Promise<ModelResponse<T>> {
    const startedAt = performance.now()
    const facts: CallFacts = {
      model: request.model,
      attempts: 0,
      latencyMs: 0,
      usage: { inputTokens: 0, outputTokens: 0 },
      costUsd: 0,
    }
    const fail = (error: ModelCallError): ModelResponse<T> => {
      facts.latencyMs = performance.now() - startedAt
      return { ok: false, error, ...facts }
    }
    const price = priceOf(this.options.prices, request.model)
    const budget = this.options.budget ?? null
    const reservation =
      budget === null
        ? null
        : budget.reserve(this.estimateCostUsd(request.model, request.system, request.prompt))
    if (budget !== null && reservation === null) {
      const snapshot = budget.snapshot()
      return fail(
        new ModelCallError('The daily model budget is spent; no model call was made.', {
          reason: 'budget',
          model: request.model,
          details: { limitUsd: snapshot.limitUsd, spentUsd: round6(snapshot.spentUsd), day: snapshot.day },
          hint: 'Local analyses continue. Raise --budget-usd or wait for the next UTC day.',
        }),
      )
    }
    try {
      const outcome = await this.limiter.run(() => this.attempt(request, facts, price))
      facts.latencyMs = performance.now() - startedAt
      return { ...outcome, ...facts }
    } catch (error) {
      return fail(
        error instanceof ModelCallError
          ? error
          : new ModelCallError('Too many model calls are queued.', {
              reason: 'queue-full',
              model: request.model,
              cause: error,
              hint: 'Raise the concurrency limit or trigger analyses less often.',
            }),
      )
    } finally {
      reservation?.settle(facts.costUsd)
    }
  }

  private async attempt<T>(
    request: ModelRequest<T>,
    facts: CallFacts,
    price: ReturnType<typeof priceOf>,
  ): Promise<{ ok: true; value: T } | { ok: false; error: ModelCallError }> {
    const messages: ModelMessage[] = [{ role: 'user', content: request.prompt }]
    let retries = 0
    let repaired = false
    const charge = (inputTokens: number | undefined, outputTokens: number | undefined): void => {
      const usage = { inputTokens: inputTokens ?? 0, outputTokens: outputTokens ?? 0 }
      facts.usage.inputTokens += usage.inputTokens
      facts.usage.outputTokens += usage.outputTokens
      facts.costUsd += costUsd(price, usage)
    }
    for (;;) {
      if (this.closed) {
        return {
          ok: false,
          error: new ModelCallError('The worker is closing.', { reason: 'network', model: request.model }),
        }
      }
      facts.attempts++
      const controller = new AbortController()
      this.inFlight.add(controller)
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        controller.abort()
      }, this.timeoutMs)
      try {
        const result = await generateText({
          // Many models fence JSON in ```json blocks even in JSON mode; stripping them saves a repair round.
          model: wrapLanguageModel({
            model: this.provider.chatModel(request.model),
            middleware: extractJsonMiddleware(),
          }),
          system: request.system,
          messages,
          output: Output.object({ schema: request.schema }),
          maxRetries: 0,
          maxOutputTokens: this.maxOutputTokens,
          temperature: 0,
          abortSignal: controller.signal,
        })
        charge(result.usage.inputTokens, result.usage.outputTokens)
        return { ok: true, value: result.output as T }
      } catch (error) {
        if (timedOut) {
          return {
            ok: false,
            error: new ModelCallError(`The model did not answer within ${this.timeoutMs} ms.`, {
              reason: 'timeout',
              model: request.model,
              details: { timeoutMs: this.timeoutMs, attempts: facts.attempts },
              hint: 'The gateway is slow or overloaded; try a faster model for this task or raise the timeout.',
            }),
          }
        }
        if (NoObjectGeneratedError.isInstance(error)) {
          charge(error.usage?.inputTokens, error.usage?.outputTokens)
          const problem = describeInvalidOutput(error)
          if (!repaired) {
            // One repair round: show the model its own answer and what was wrong with it.
            repaired = true
            messages.push(
              { role: 'assistant', content: error.text ?? '' },
              {
                role: 'user',
                content: `Your reply was rejected: ${problem}\nReply again with only one JSON object that satisfies the schema.`,
              },
            )
            continue
          }
          return {
            ok: false,
            error: new ModelCallError('The model returned invalid output twice.', {
              reason: 'invalid-output',
              model: request.model,
              details: { problem, attempts: facts.attempts },
              hint: 'This model may not follow JSON instructions well; route this task to another model with --models.',
            }),
          }
        }
        const failure = classify(error, request.model)
        if (failure.retryable && retries < this.maxRetries && !this.closed) {
          const delay = failure.retryAfterMs ?? this.backoffMs(retries)
          if (failure.retryAfterMs !== null && failure.retryAfterMs > this.maxRetryAfterMs)
            return { ok: false, error: failure.error }
          retries++
          await this.sleep(delay)
          continue
        }
        return { ok: false, error: failure.error }
      } finally {
        clearTimeout(timer)
        this.inFlight.delete(controller)
      }
    }
  }

  private backoffMs(retry: number): number {
    const base = Math.min(this.retryMaxDelayMs, this.retryBaseDelayMs * 2 ** retry)
    return Math.round(base * (0.8 + 0.4 * this.random()))
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        resolve()
      }, ms)
      this.timers.add(timer)
    })
  }

  /** Aborts calls in flight and clears retry timers; later calls fail at once. */
  close(): void {
    this.closed = true
    for (const controller of this.inFlight) controller.abort()
    this.inFlight.clear()
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }
}

function describeInvalidOutput(error: NoObjectGeneratedError): string {
  const cause = error.cause
  const detail = cause instanceof Error ? cause.message : error.message
  // Validation messages can quote the whole answer; the model needs the gist, not an echo.
  return detail.length > 800 ? `${detail.slice(0, 800)}…` : detail
}

function classify(
  error: unknown,
  model: string,
): { error: ModelCallError; retryable: boolean; retryAfterMs: number | null } {
  // The SDK reports a failed fetch (refused, reset, DNS) as an APICallError without a status.
  if (APICallError.isInstance(error) && error.statusCode !== undefined) {
    const status = error.statusCode
    const retryAfterMs = parseRetryAfterMs(error.responseHeaders?.['retry-after'] ?? null)
    if (status === 429) {
      return {
        retryable: true,
        retryAfterMs,
        error: new ModelCallError(`The gateway rate limited the call to ${model} (HTTP 429).`, {
          reason: 'rate-limit',
          model,
          status,
          details: { retryAfterMs },
          hint: 'Lower the concurrency or trigger analyses less often; the call was retried with backoff.',
        }),
      }
    }
    const retryable = status === null || status >= 500
    return {
      retryable,
      retryAfterMs: status !== null && status >= 500 ? retryAfterMs : null,
      error: new ModelCallError(
        `The gateway refused the call to ${model}${status === null ? '' : ` (HTTP ${status})`}.`,
        {
          reason: 'http',
          model,
          status,
          details: { body: truncateBody(error.responseBody) },
          hint:
            status === 401 || status === 403
              ? 'Check TICKMESH_AI_API_KEY and that the key may use this model.'
              : status === 404
                ? 'Check the base URL (it should end in /v1) and the model name in --models.'
                : 'A 5xx is the gateway’s fault and was retried; a 4xx needs a change of settings.',
        },
      ),
    }
  }
  return {
    retryable: true,
    retryAfterMs: null,
    error: new ModelCallError(`Could not reach the gateway for ${model}.`, {
      reason: 'network',
      model,
      cause: error,
      details: { message: error instanceof Error ? error.message : String(error) },
      hint: 'Check the base URL, the network or proxy settings.',
    }),
  }
}

function truncateBody(body: string | undefined): string | undefined {
  if (body === undefined) return undefined
  return body.length > 300 ? `${body.slice(0, 300)}…` : body
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6
}
