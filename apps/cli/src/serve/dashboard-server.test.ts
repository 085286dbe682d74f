import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMarketView } from '@tickmesh/aggregator'
import { ConfigError } from '@tickmesh/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { DashboardFeed } from './dashboard-feed'
import type { ServerMessage } from './dashboard-messages'
import { DashboardListenError, type DashboardServer, startDashboardServer } from './dashboard-server'

let root = ''
let assetsDir = ''
const servers: DashboardServer[] = []
const feeds: DashboardFeed[] = []
const sockets: WebSocket[] = []

function feedOf(): DashboardFeed {
  const feed = new DashboardFeed({
    source: { view: createMarketView(), onEvent: () => () => {}, onOpportunity: () => () => {} },
    symbols: ['BTC/USDT'],
    venues: ['binance', 'okx'],
    connections: new Map(),
    sourceLabel: 'test',
  })
  feeds.push(feed)
  return feed
}

async function start(feed = feedOf(), port = 0): Promise<DashboardServer> {
  const server = await startDashboardServer({ feed, assetsDir, port })
  servers.push(server)
  return server
}

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw request, so paths like `/../x` reach the server unnormalized. */
function get(server: DashboardServer, path: string, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        body += chunk
      })
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Opens the page socket and collects its messages. */
async function connect(server: DashboardServer): Promise<{ socket: WebSocket; messages: ServerMessage[] }> {
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}ws`)
  sockets.push(socket)
  const messages: ServerMessage[] = []
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as ServerMessage))
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  return { socket, messages }
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tickmesh-dash-'))
  assetsDir = join(root, 'web')
  mkdirSync(join(assetsDir, 'assets'), { recursive: true })
  writeFileSync(join(assetsDir, 'index.html'), '<!doctype html><title>tickmesh</title>')
  writeFileSync(join(assetsDir, 'assets', 'index-abc.js'), 'console.log(1)')
  writeFileSync(join(root, 'secret.txt'), 'do not serve')
})

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate()
  await Promise.all(servers.splice(0).map((server) => server.close()))
  for (const feed of feeds.splice(0)) feed.close()
  rmSync(root, { recursive: true, force: true })
})

describe('dashboard server', () => {
  it('serves the page with a same-origin-only content security policy and caches fingerprinted assets', async () => {
    const server = await start()
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`)
    const page = await get(server, '/')
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>tickmesh</title>')
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.headers['content-security-policy']).toContain("default-src 'self'")
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'")
    expect(page.headers['cache-control']).toBe('no-cache')
    const script = await get(server, '/assets/index-abc.js')
    expect(script.status).toBe(200)
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(script.headers['cache-control']).toContain('immutable')
    expect((await get(server, '/healthz')).body).toBe('ok\n')
  })

  it('serves nothing outside its directory and only GET/HEAD', async () => {
    const server = await start()
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/../../secret.txt',
      '/nope.js',
      '/assets',
    ]) {
      const reply = await get(server, path)
      expect(reply.status, path).toBe(404)
      expect(reply.body).not.toContain('do not serve')
    }
    expect((await get(server, '/', 'POST')).status).toBe(405)
    expect((await get(server, '/%E0%A4%A')).status).toBe(400)
  })

  it('sends a snapshot on connect, then every update, and closes pages on close()', async () => {
    const feed = feedOf()
    const server = await start(feed)
    const { socket, messages } = await connect(server)
    await waitFor(() => messages.length === 1)
    const snapshot = messages[0]!
    expect(snapshot.type).toBe('snapshot')
    if (snapshot.type !== 'snapshot') return
    expect(snapshot.symbols).toEqual(['BTC/USDT'])
    expect(snapshot.venues).toEqual(['binance', 'okx'])
    expect(snapshot.history['BTC/USDT']).toEqual([])
    expect(server.clientCount).toBe(1)
    feed.tick()
    feed.tick()
    await waitFor(() => messages.length === 3)
    expect(messages[1]!.type).toBe('update')
    // A page that connects later gets the history so far.
    const late = await connect(server)
    await waitFor(() => late.messages.length === 1)
    const lateSnapshot = late.messages[0]!
    expect(lateSnapshot.type === 'snapshot' && lateSnapshot.history['BTC/USDT']!.length).toBe(1)
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))
    await server.close()
    await closed
    expect(server.clientCount).toBe(0)
  })

  it('accepts WebSocket upgrades only on /ws', async () => {
    const server = await start()
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/other`)
    sockets.push(socket)
    await expect(
      new Promise((resolve, reject) => {
        socket.once('open', resolve)
        socket.once('error', reject)
      }),
    ).rejects.toThrow()
  })

  it('refuses page sockets opened by another site (Origin check)', async () => {
    const server = await start()
    const foreign = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { origin: 'https://evil.example' })
    sockets.push(foreign)
    const status = await new Promise<number>((resolve) => {
      foreign.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
      foreign.once('open', () => resolve(101))
      foreign.once('error', () => resolve(-1))
    })
    expect(status).toBe(403)
    const own = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, {
      origin: `http://127.0.0.1:${server.port}`,
    })
    sockets.push(own)
    await new Promise<void>((resolve, reject) => {
      own.once('open', () => resolve())
      own.once('error', reject)
    })
  })

  it('names the build command when the page is not built', async () => {
    rmSync(join(assetsDir, 'index.html'))
    const error = await start().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).message).toContain('index.html is missing')
    expect((error as ConfigError).hint).toContain('pnpm --filter @tickmesh/cli build')
  })

  it('reports a taken port with the value and what to do', async () => {
    const first = await start()
    const error = await start(feedOf(), first.port).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DashboardListenError)
    expect((error as DashboardListenError).message).toContain(`127.0.0.1:${first.port}`)
    expect((error as DashboardListenError).message).toContain('EADDRINUSE')
    expect((error as DashboardListenError).hint).toContain('--port')
  })
})
