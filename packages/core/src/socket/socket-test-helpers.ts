// Test-only helpers (not exported from the package): a loopback WebSocket server and polling waits.
import type { AddressInfo } from 'node:net'
import type { ServerOptions, WebSocket } from 'ws'
import { WebSocketServer } from 'ws'

export interface TestServer {
  wss: WebSocketServer
  url: string
  port: number
  /** Server-side sockets in connection order. */
  clients: WebSocket[]
  /** Text frames received from clients, with the server-side socket index. */
  received: { index: number; text: string }[]
  close(): Promise<void>
}

export async function startTestServer(
  options: Omit<ServerOptions, 'port' | 'host'> = {},
): Promise<TestServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, ...options })
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  const port = (wss.address() as AddressInfo).port
  const clients: WebSocket[] = []
  const received: { index: number; text: string }[] = []
  wss.on('connection', (socket) => {
    const index = clients.length
    clients.push(socket)
    socket.on('message', (data) => received.push({ index, text: data.toString() }))
    socket.on('error', () => {})
  })
  return {
    wss,
    url: `ws://127.0.0.1:${port}`,
    port,
    clients,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close(() => resolve())
      }),
  }
}

/** Polls until `predicate` holds; generous default because the CI machine is small and shared. */
export async function waitFor(
  predicate: () => boolean,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** A seeded PRNG (mulberry32) so jitter tests are deterministic. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Counts of active handles by type, to prove close() leaves nothing behind. */
export function activeResourceCounts(): Map<string, number> {
  const counts = new Map<string, number>()
  for (const name of process.getActiveResourcesInfo()) counts.set(name, (counts.get(name) ?? 0) + 1)
  return counts
}
