// The producer, run as a child process so it has a core of its own. One WebSocket server per venue
// proxies the handshake (subscribe, acks, pings) to the simulator, whose market is not running, so
// adapters and ccxt connect exactly as they would to the venue. On command it then writes trade
// frames straight to the client's TCP socket: pre-framed WebSocket text frames, many per write
// (firehose), or one per write at a fixed rate with the send time stamped in each frame.
import { createServer, type IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import type { VenueId } from '@tickmesh/core'
import { type RawData, WebSocket, WebSocketServer } from 'ws'
import type { ProducerCommand, ProducerReply } from './producer-protocol'
import { frameBuilder, type StreamChannel, type TradeFrameBuilder } from './trade-frames'

const HIGH_WATER_BYTES = 4 * 1024 * 1024
/** Blocks the sender between paced frames without spinning (see fixedRate). */
const sleeper = new Int32Array(new SharedArrayBuffer(4))
const FRAMES_PER_WRITE = 256

interface ClientConnection {
  client: WebSocket
  upstream: WebSocket
  path: string
  clientMessages: string[]
  nextTradeId: number
}

const upstreams = JSON.parse(process.env.TICKMESH_BENCH_UPSTREAMS ?? '{}') as Record<string, string>
const connections = new Map<string, ClientConnection[]>()
const servers: ReturnType<typeof createServer>[] = []

function send(reply: ProducerReply): void {
  process.send?.(reply)
}

function text(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data).toString('utf8')
}

function accept(venue: string, client: WebSocket, request: IncomingMessage): void {
  const path = request.url ?? '/'
  const upstream = new WebSocket(`${upstreams[venue]}${path}`, { perMessageDeflate: false })
  const pending: string[] = []
  const entry: ClientConnection = { client, upstream, path, clientMessages: [], nextTradeId: 1 }
  const list = connections.get(venue) ?? []
  list.push(entry)
  connections.set(venue, list)
  client.on('message', (data) => {
    const message = text(data)
    if (entry.clientMessages.length < 50) entry.clientMessages.push(message)
    if (upstream.readyState === WebSocket.OPEN) upstream.send(message)
    else pending.push(message)
  })
  upstream.on('open', () => {
    for (const message of pending) upstream.send(message)
    pending.length = 0
  })
  upstream.on('message', (data) => {
    if (client.readyState === WebSocket.OPEN) client.send(text(data))
  })
  const drop = (): void => {
    const current = connections.get(venue) ?? []
    connections.set(
      venue,
      current.filter((candidate) => candidate !== entry),
    )
    if (client.readyState === WebSocket.OPEN) client.close()
    if (upstream.readyState === WebSocket.OPEN || upstream.readyState === WebSocket.CONNECTING)
      upstream.terminate()
  }
  client.on('close', drop)
  client.on('error', drop)
  upstream.on('close', drop)
  upstream.on('error', drop)
}

/** One unmasked server-to-client text frame (RFC 6455 §5.2). */
function encodeFrame(payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8')
  const length = body.length
  let header: Buffer
  if (length < 126) {
    header = Buffer.from([0x81, length])
  } else if (length < 65_536) {
    header = Buffer.from([0x81, 126, length >>> 8, length & 0xff])
  } else {
    header = Buffer.alloc(10)
    header[0] = 0x81
    header[1] = 127
    header.writeBigUInt64BE(BigInt(length), 2)
  }
  return Buffer.concat([header, body])
}

function rawSocket(client: WebSocket): Socket {
  return (client as unknown as { _socket: Socket })._socket
}

function newest(venue: VenueId): ClientConnection | undefined {
  const list = connections.get(venue) ?? []
  return list[list.length - 1]
}

function firehose(venue: VenueId, channel: StreamChannel, count: number): void {
  const entry = newest(venue)
  if (entry === undefined) {
    send({ type: 'fired', venue, sent: 0, elapsedMs: 0, error: 'no client connected' })
    return
  }
  const build: TradeFrameBuilder = frameBuilder(channel, venue, entry.path, entry.clientMessages)
  const socket = rawSocket(entry.client)
  const start = performance.now()
  let sent = 0
  const pump = (): void => {
    while (sent < count) {
      if (entry.client.readyState !== WebSocket.OPEN) {
        send({ type: 'fired', venue, sent, elapsedMs: performance.now() - start, error: 'client closed' })
        return
      }
      const batch: Buffer[] = []
      const stamp = performance.timeOrigin + performance.now()
      for (let i = 0; i < FRAMES_PER_WRITE && sent < count; i++, sent++) {
        batch.push(encodeFrame(build(entry.nextTradeId++, stamp)))
      }
      socket.write(Buffer.concat(batch))
      if (socket.writableLength > HIGH_WATER_BYTES) {
        socket.once('drain', pump)
        return
      }
    }
    send({ type: 'fired', venue, sent, elapsedMs: performance.now() - start })
  }
  pump()
}

function fixedRate(venue: VenueId, channel: StreamChannel, rate: number, durationMs: number): void {
  const entry = newest(venue)
  if (entry === undefined) {
    send({ type: 'fired', venue, sent: 0, elapsedMs: 0, error: 'no client connected' })
    return
  }
  const build = frameBuilder(channel, venue, entry.path, entry.clientMessages)
  const socket = rawSocket(entry.client)
  const total = Math.round((rate * durationMs) / 1000)
  const start = performance.now()
  let sent = 0
  const interval = 1000 / rate
  // Each turn sends the frames that are due, each stamped just before its own write, and sleeps
  // (Atomics.wait: the thread blocks, it does not spin) until the next is due. A spinning sender
  // would take a core from the consumer on a 2-core machine; a timer would send in 1 ms bursts.
  // A turn lasts at most ~5 ms so socket events and IPC are still served.
  const turn = (): void => {
    const turnEnd = performance.now() + 5
    while (performance.now() < turnEnd) {
      if (entry.client.readyState !== WebSocket.OPEN) {
        send({ type: 'fired', venue, sent, elapsedMs: performance.now() - start, error: 'client closed' })
        return
      }
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000))
      while (sent < due) {
        socket.write(encodeFrame(build(entry.nextTradeId++, performance.timeOrigin + performance.now())))
        sent++
      }
      if (sent >= total) {
        send({ type: 'fired', venue, sent, elapsedMs: performance.now() - start })
        return
      }
      const untilNext = start + (sent + 1) * interval - performance.now()
      if (untilNext > 0.02) Atomics.wait(sleeper, 0, 0, untilNext)
    }
    setImmediate(turn)
  }
  setImmediate(turn)
}

process.on('message', (command: ProducerCommand) => {
  switch (command.type) {
    case 'fire':
      if (command.mode === 'firehose') firehose(command.venue, command.channel, command.count)
      else fixedRate(command.venue, command.channel, command.rate, command.durationMs)
      break
    case 'status': {
      const entry = newest(command.venue)
      send({
        type: 'status',
        venue: command.venue,
        path: entry?.path ?? null,
        clientMessages: entry?.clientMessages ?? [],
        open: connections.get(command.venue)?.length ?? 0,
      })
      break
    }
    case 'stop':
      for (const list of connections.values()) for (const entry of list) entry.client.terminate()
      for (const server of servers) server.close()
      process.exit(0)
  }
})
process.on('disconnect', () => process.exit(0))

async function main(): Promise<void> {
  const ports: Record<string, number> = {}
  for (const venue of Object.keys(upstreams)) {
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })
    const server = createServer((_request, response) => {
      response.writeHead(404).end()
    })
    server.on('upgrade', (request, socket, head) => {
      wss.handleUpgrade(request, socket, head, (client) => accept(venue, client, request))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    ports[venue] = typeof address === 'object' && address !== null ? address.port : 0
    servers.push(server)
  }
  send({ type: 'listening', ports })
}

void main()
