import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

// A real OpenAI-compatible HTTP server on 127.0.0.1 for tests: POST /v1/chat/completions answered
// from a per-test script, recording what each request asked for. Not exported from the package.

export interface RecordedRequest {
  model: string
  messages: Array<{ role: string; content: unknown }>
  body: Record<string, unknown>
  authorization: string | null
}

export type ScriptedReply =
  /** A normal completion whose message content is `content` (objects are JSON-encoded). */
  | { content: string | object; promptTokens?: number; completionTokens?: number; delayMs?: number }
  /** An HTTP error. */
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }

export interface OpenAiTestServer {
  /** `http://127.0.0.1:<port>/v1` */
  readonly baseUrl: string
  readonly requests: RecordedRequest[]
  /** Replies used in order; after the queue is empty, `fallback` answers. */
  enqueue(...replies: ScriptedReply[]): void
  fallback: (request: RecordedRequest) => ScriptedReply
  close(): Promise<void>
}

export async function startOpenAiTestServer(): Promise<OpenAiTestServer> {
  const queue: ScriptedReply[] = []
  const requests: RecordedRequest[] = []
  const timers = new Set<ReturnType<typeof setTimeout>>()
  let completionId = 0
  const state: Pick<OpenAiTestServer, 'fallback'> = {
    fallback: () => ({ status: 500, body: '{"error":{"message":"no scripted reply"}}' }),
  }
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
        response.writeHead(404, { 'content-type': 'application/json' })
        response.end('{"error":{"message":"not found"}}')
        return
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
      const recorded: RecordedRequest = {
        model: String(body.model),
        messages: (body.messages as RecordedRequest['messages']) ?? [],
        body,
        authorization: request.headers.authorization ?? null,
      }
      requests.push(recorded)
      const reply = queue.shift() ?? state.fallback(recorded)
      const send = (): void => {
        if (response.destroyed) return
        if ('status' in reply) {
          response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
          response.end(reply.body ?? `{"error":{"message":"HTTP ${reply.status}"}}`)
          return
        }
        const content = typeof reply.content === 'string' ? reply.content : JSON.stringify(reply.content)
        const promptTokens = reply.promptTokens ?? 100
        const completionTokens = reply.completionTokens ?? 50
        response.writeHead(200, { 'content-type': 'application/json' })
        response.end(
          JSON.stringify({
            id: `chatcmpl-${++completionId}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: recorded.model,
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
            usage: {
              prompt_tokens: promptTokens,
              completion_tokens: completionTokens,
              total_tokens: promptTokens + completionTokens,
            },
          }),
        )
      }
      if (reply.delayMs === undefined) send()
      else {
        const timer = setTimeout(() => {
          timers.delete(timer)
          send()
        }, reply.delayMs)
        timers.add(timer)
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...replies) => {
      queue.push(...replies)
    },
    get fallback() {
      return state.fallback
    },
    set fallback(value) {
      state.fallback = value
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
