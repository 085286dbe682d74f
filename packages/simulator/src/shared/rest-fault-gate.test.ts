import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { replyJson } from './json-reply'
import { RestFaultGate } from './rest-fault-gate'

let server: Server | null = null
let gate: RestFaultGate | null = null
afterEach(async () => {
  gate?.close()
  server?.closeAllConnections()
  await new Promise<void>((resolve) => (server === null ? resolve() : server.close(() => resolve())))
  server = null
})

async function serve(): Promise<string> {
  const activeGate = new RestFaultGate({ errorBody: (status) => ({ code: -1003, status }), holdMs: 60_000 })
  gate = activeGate
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    if (activeGate.intercept(request, response, url)) return
    replyJson(response, 200, { ok: true })
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('RestFaultGate', () => {
  it('fails the next N requests with the status and venue body, optionally on one path only', async () => {
    const base = await serve()
    gate?.arm({ kind: 'rest', status: 429, count: 2, path: '/depth' })
    expect((await fetch(`${base}/time`)).status).toBe(200)
    const limited = await fetch(`${base}/depth?symbol=X`)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('1')
    expect(await limited.json()).toEqual({ code: -1003, status: 429 })
    expect((await fetch(`${base}/depth`)).status).toBe(429)
    expect((await fetch(`${base}/depth`)).status).toBe(200)
    gate?.arm({ kind: 'rest', status: 503 })
    expect(gate?.pending).toBe(1)
    expect((await fetch(`${base}/anything`)).status).toBe(503)
    expect((await fetch(`${base}/anything`)).status).toBe(200)
  })

  it('holds a timeout request unanswered until the client gives up', async () => {
    const base = await serve()
    gate?.arm({ kind: 'rest', status: 'timeout' })
    await expect(fetch(`${base}/time`, { signal: AbortSignal.timeout(200) })).rejects.toThrow()
    expect((await fetch(`${base}/time`)).status).toBe(200)
  })
})
