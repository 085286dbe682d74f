import type { IncomingMessage } from 'node:http'
import { createServer as createHttpServer } from 'node:http'
import type { AddressInfo, Socket as NetSocket, Server } from 'node:net'
import { connect as connectTcp, createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket as WsWebSocket } from 'ws'
import type { TickmeshError } from '../errors'
import { ConnectionTimeoutError, RateLimitError } from '../errors'
import { nowMs } from '../events'
import { createReconnectingSocket } from './reconnecting-socket'
import type { TestServer } from './socket-test-helpers'
import { activeResourceCounts, sleep, startTestServer, waitFor } from './socket-test-helpers'
import type { ReconnectingSocket, ReconnectingSocketOptions, SocketStatusChange } from './socket-types'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const started = await startTestServer(options)
  cleanups.push(() => started.close())
  return started
}

interface Harness {
  socket: ReconnectingSocket
  statuses: SocketStatusChange[]
  messages: string[]
  errors: TickmeshError[]
  opens: { url: string; isReconnect: boolean }[]
}

function open(options: Partial<ReconnectingSocketOptions> & { urls: readonly string[] }): Harness {
  const harness: Harness = {
    socket: undefined as unknown as ReconnectingSocket,
    statuses: [],
    messages: [],
    errors: [],
    opens: [],
  }
  harness.socket = createReconnectingSocket({
    openTimeoutMs: 2_000,
    backoff: { baseDelayMs: 20, maxDelayMs: 100 },
    onMessage: (text) => harness.messages.push(text),
    onStatus: (change) => harness.statuses.push(change),
    onError: (error) => harness.errors.push(error),
    onOpen: (context) => harness.opens.push({ url: context.url, isReconnect: context.isReconnect }),
    ...options,
  })
  cleanups.push(() => harness.socket.close())
  return harness
}

function states(harness: Harness): string[] {
  return harness.statuses.map((change) => change.state)
}

/** A port nothing listens on: bind, read the port, close. */
async function refusedPort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}

describe('createReconnectingSocket', () => {
  it('connects, delivers text frames, and reconnects after the server kills the socket', async () => {
    const srv = await server()
    const h = open({ urls: [srv.url] })
    await h.socket.connect()
    expect(h.socket.state).toBe('open')
    srv.clients[0]?.send('hello')
    await waitFor(() => h.messages.includes('hello'))
    srv.clients[0]?.terminate()
    await waitFor(() => srv.clients.length === 2 && h.socket.state === 'open', 10_000, 'reconnect')
    expect(states(h)).toEqual(['connecting', 'open', 'reconnecting', 'connecting', 'open'])
    expect(h.opens).toEqual([
      { url: srv.url, isReconnect: false },
      { url: srv.url, isReconnect: true },
    ])
    srv.clients[1]?.send('again')
    await waitFor(() => h.messages.includes('again'))
  })

  it('detects a silent stall (no data, no pongs) by pong timeout and recovers', async () => {
    const srv = await server({ autoPong: false })
    const h = open({ urls: [srv.url], keepAlive: { intervalMs: 50, pongTimeoutMs: 200 } })
    await h.socket.connect()
    await waitFor(() => srv.clients.length >= 2 && h.socket.state === 'open', 10_000, 'reconnect after stall')
    const reconnecting = h.statuses.find((change) => change.state === 'reconnecting')
    expect(reconnecting?.reason).toMatch(/no pong within 200 ms/)
    expect(h.errors.some((error) => /No pong/.test(error.shortMessage))).toBe(true)
  })

  it('keeps a connection whose peer answers protocol pings, even with pings more frequent than the timeout', async () => {
    const srv = await server()
    const h = open({ urls: [srv.url], keepAlive: { intervalMs: 30, pongTimeoutMs: 300 } })
    await h.socket.connect()
    await sleep(600)
    expect(srv.clients).toHaveLength(1)
    expect(states(h)).toEqual(['connecting', 'open'])
  })

  it('detects a stalled topic (TCP open, pongs flowing, no data) as stale, then reconnects', async () => {
    const srv = await server()
    const h = open({ urls: [srv.url], idle: { minMs: 150, maxMs: 5_000 } })
    h.socket.watch('trades.BTCUSDT')
    await h.socket.connect()
    // 30 messages at ~10 ms teach the tracker a short gap, then the server goes silent.
    for (let index = 0; index < 30; index++) {
      h.socket.touch('trades.BTCUSDT', nowMs())
      await sleep(10)
    }
    await waitFor(() => states(h).includes('stale'), 10_000, 'stale')
    await waitFor(() => srv.clients.length === 2 && h.socket.state === 'open', 10_000, 'reopen')
    const stale = h.statuses.find((change) => change.state === 'stale')
    expect(stale?.reason).toMatch(/topic trades\.BTCUSDT silent for \d+ ms \(threshold \d+ ms\)/)
    const after = states(h).slice(states(h).indexOf('stale'))
    expect(after).toEqual(['stale', 'reconnecting', 'connecting', 'open'])
  })

  it('does not flag a quiet topic before it has learned its gap (maxMs applies)', async () => {
    const srv = await server()
    const h = open({ urls: [srv.url], idle: { minMs: 50, maxMs: 3_000 } })
    h.socket.watch('quiet')
    await h.socket.connect()
    await sleep(500)
    expect(states(h)).toEqual(['connecting', 'open'])
  })

  it('reconnects when the server drops the TCP socket without a close frame', async () => {
    const srv = await server()
    const h = open({ urls: [srv.url] })
    await h.socket.connect()
    ;(srv.clients[0] as unknown as { _socket: NetSocket })._socket.destroy()
    await waitFor(() => srv.clients.length === 2 && h.socket.state === 'open', 10_000, 'reconnect')
    expect(h.statuses.find((change) => change.state === 'reconnecting')?.closeCode).toBe(1006)
  })

  it('detects a half-open connection (server frozen, no FIN) by server silence', async () => {
    const srv = await server()
    const h = open({ urls: [srv.url], keepAlive: { serverSilenceMs: 300 } })
    await h.socket.connect()
    // Server pings keep the connection alive while it is healthy…
    const pinger = setInterval(() => srv.clients[srv.clients.length - 1]?.ping(), 50)
    cleanups.push(() => clearInterval(pinger))
    await sleep(500)
    expect(srv.clients).toHaveLength(1)
    // …then the first connection freezes: no reads, no writes, TCP still open.
    const frozen = srv.clients[0] as unknown as { _socket: NetSocket; ping: () => void }
    frozen._socket.pause()
    frozen.ping = () => {}
    await waitFor(() => srv.clients.length === 2 && h.socket.state === 'open', 10_000, 'reconnect')
    expect(h.statuses.find((change) => change.state === 'reconnecting')?.reason).toMatch(
      /no frame from the server/,
    )
  })

  it('retries the same URL first after a drop from an open connection', async () => {
    const first = await server()
    const second = await server()
    const h = open({ urls: [first.url, second.url] })
    await h.socket.connect()
    first.clients[0]?.terminate()
    await waitFor(() => first.clients.length === 2 && h.socket.state === 'open', 10_000, 'reconnect')
    expect(second.clients).toHaveLength(0)
    expect(h.socket.url).toBe(first.url)
  })

  it('falls back to the next URL when the first refuses, and connect() resolves', async () => {
    const srv = await server()
    const dead = `ws://127.0.0.1:${await refusedPort()}`
    const h = open({ urls: [dead, srv.url] })
    await h.socket.connect()
    expect(h.socket.url).toBe(srv.url)
    expect(h.opens).toEqual([{ url: srv.url, isReconnect: false }])
    expect(h.errors[0]?.code).toBe('CONNECTION_ERROR')
    expect(h.statuses.find((change) => change.state === 'reconnecting')?.url).toBe(srv.url)
  })

  it('times out a server that accepts TCP but never upgrades, and keeps retrying until close()', async () => {
    const sockets: NetSocket[] = []
    const tcp: Server = createServer((socket) => sockets.push(socket))
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', () => resolve()))
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy()
          tcp.close(() => resolve())
        }),
    )
    const url = `ws://127.0.0.1:${(tcp.address() as AddressInfo).port}`
    const h = open({ urls: [url], openTimeoutMs: 150 })
    const error = await h.socket.connect().then(
      () => null,
      (rejection: unknown) => rejection,
    )
    expect(error).toBeInstanceOf(ConnectionTimeoutError)
    expect((error as ConnectionTimeoutError).timeoutMs).toBe(150)
    expect((error as ConnectionTimeoutError).hint).toMatch(/proxy/)
    await waitFor(() => sockets.length >= 2, 10_000, 'a retry')
  })

  it('tunnels through an HTTP CONNECT proxy when one is configured', async () => {
    const srv = await server()
    const connects: string[] = []
    const tunnels: NetSocket[] = []
    const proxy = createHttpServer()
    proxy.on('connect', (request: IncomingMessage, client: NetSocket, head: Buffer) => {
      connects.push(request.url ?? '')
      const [host, port] = (request.url ?? '').split(':')
      const upstream = connectTcp(Number(port), host ?? '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.write(head)
        upstream.pipe(client)
        client.pipe(upstream)
      })
      tunnels.push(client, upstream)
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()))
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of tunnels) socket.destroy()
          proxy.close(() => resolve())
        }),
    )
    const h = open({ urls: [srv.url], proxy: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` })
    await h.socket.connect()
    expect(connects).toEqual([`127.0.0.1:${srv.port}`])
    srv.clients[0]?.send('via proxy')
    await waitFor(() => h.messages.includes('via proxy'))
  })

  it('paces outbound messages: never more than maxMessagesPerSecond in any 1 s window', async () => {
    const srv = await server()
    const sentAt: number[] = []
    class RecordingWebSocket extends WsWebSocket {
      constructor(...args: ConstructorParameters<typeof WsWebSocket>) {
        super(...args)
        const send = this.send.bind(this) as (...rest: unknown[]) => void
        this.send = ((...rest: unknown[]) => {
          sentAt.push(nowMs())
          send(...rest)
        }) as WsWebSocket['send']
      }
    }
    const rate = 10
    const h = open({
      urls: [srv.url],
      WebSocket: RecordingWebSocket as unknown as typeof WsWebSocket,
      maxMessagesPerSecond: rate,
    })
    for (let index = 0; index < 25; index++) h.socket.send(`m${index}`)
    await h.socket.connect()
    await waitFor(() => srv.received.length === 25, 10_000, 'all messages')
    expect(srv.received.map((item) => item.text)).toEqual(
      Array.from({ length: 25 }, (_, index) => `m${index}`),
    )
    for (let index = 0; index + rate < sentAt.length; index++) {
      expect((sentAt[index + rate] ?? 0) - (sentAt[index] ?? 0)).toBeGreaterThanOrEqual(1_000)
    }
  })

  it('rejects sends beyond maxQueuedMessages with a RateLimitError', () => {
    const h = open({ urls: ['ws://127.0.0.1:1'], maxQueuedMessages: 3 })
    h.socket.send('a')
    h.socket.send('b')
    h.socket.send('c')
    expect(() => h.socket.send('d')).toThrow(RateLimitError)
  })

  it('sends app-level pings only when idle, swallows pongs, and sends onOpen messages first', async () => {
    const srv = await server()
    srv.wss.on('connection', (client) => {
      client.on('message', (data) => {
        if (data.toString() === 'ping') client.send('pong')
      })
    })
    const h = open({
      urls: [srv.url],
      keepAlive: {
        intervalMs: 200,
        whenIdle: true,
        buildPing: () => 'ping',
        isPong: (text) => text === 'pong',
        pongTimeoutMs: 1_000,
      },
      onOpen: () => h.socket.send('auth'),
    })
    h.socket.send('queued-before-open')
    await h.socket.connect()
    await waitFor(() => srv.received.filter((item) => item.text === 'ping').length >= 2, 10_000, 'pings')
    expect(srv.received[0]?.text).toBe('auth')
    expect(srv.received[1]?.text).toBe('queued-before-open')
    expect(h.messages).not.toContain('pong')
    // While the server streams every 20 ms, no ping is needed.
    const pingsBefore = srv.received.filter((item) => item.text === 'ping').length
    const streamer = setInterval(() => srv.clients[0]?.send('data'), 20)
    cleanups.push(() => clearInterval(streamer))
    await sleep(600)
    clearInterval(streamer)
    expect(srv.received.filter((item) => item.text === 'ping').length).toBeLessThanOrEqual(pingsBefore + 1)
    expect(srv.clients).toHaveLength(1)
  })

  it('catches onMessage exceptions, reports them and keeps receiving', async () => {
    const srv = await server()
    const h = open({
      urls: [srv.url],
      onMessage: (text) => {
        if (text === 'bad') throw new Error('boom')
        h.messages.push(text)
      },
    })
    await h.socket.connect()
    srv.clients[0]?.send('bad')
    srv.clients[0]?.send('good')
    await waitFor(() => h.messages.includes('good'))
    expect(h.errors.some((error) => (error.cause as Error | undefined)?.message === 'boom')).toBe(true)
    expect(h.socket.state).toBe('open')
  })

  it('drops a connection that sends a frame above maxPayloadBytes, reports it and reconnects', async () => {
    const srv = await server()
    const h = open({ urls: [srv.url], maxPayloadBytes: 1_000 })
    await h.socket.connect()
    srv.clients[0]?.send('x'.repeat(2_000))
    await waitFor(() => srv.clients.length === 2 && h.socket.state === 'open', 10_000, 'reconnect')
    expect(h.errors.some((error) => /payload/i.test(error.shortMessage))).toBe(true)
    expect(h.messages).toHaveLength(0)
  })

  it('reconnect(reason) forces a planned reconnect', async () => {
    const srv = await server()
    const h = open({ urls: [srv.url] })
    await h.socket.connect()
    h.socket.reconnect('planned resync')
    await waitFor(() => srv.clients.length === 2 && h.socket.state === 'open', 10_000, 'reconnect')
    expect(h.statuses.find((change) => change.state === 'reconnecting')?.reason).toMatch(/^planned resync/)
  })

  it('close() never reconnects and leaves no timers or sockets behind', async () => {
    const srv = await server()
    await sleep(50)
    const before = activeResourceCounts()
    const h = open({
      urls: [srv.url],
      keepAlive: { intervalMs: 20, pongTimeoutMs: 500, serverSilenceMs: 5_000 },
      idle: { minMs: 100 },
      maxMessagesPerSecond: 2,
    })
    h.socket.watch('topic')
    await h.socket.connect()
    const closeCode = new Promise<number>((resolve) => srv.clients[0]?.once('close', (code) => resolve(code)))
    for (let index = 0; index < 6; index++) h.socket.send(`m${index}`)
    await h.socket.close()
    expect(await closeCode).toBe(1000)
    expect(h.socket.state).toBe('closed')
    const closedAt = h.statuses.length
    await waitFor(
      () => {
        const after = activeResourceCounts()
        return [...after].every(([name, count]) => count <= (before.get(name) ?? 0))
      },
      5_000,
      `handles to drain: ${JSON.stringify([...activeResourceCounts()])} vs ${JSON.stringify([...before])}`,
    )
    await sleep(300)
    expect(h.statuses.length).toBe(closedAt)
    expect(srv.clients).toHaveLength(1)
    expect(() => h.socket.send('late')).toThrow(/closed/)
    await expect(h.socket.connect()).rejects.toThrow(/closed/)
  })

  it('close() during a backoff wait stops retrying', async () => {
    const dead = `ws://127.0.0.1:${await refusedPort()}`
    const h = open({ urls: [dead], backoff: { retryDelayMs: () => 200 } })
    const connecting = h.socket.connect().catch((error: unknown) => error)
    await waitFor(() => states(h).includes('reconnecting'))
    await h.socket.close()
    await connecting
    const count = h.statuses.length
    await sleep(400)
    expect(h.statuses.length).toBe(count)
    expect(h.socket.state).toBe('closed')
  })
})
