import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { ConnectionSet } from './connection-set'
import type { Outbound } from './outbound'

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup()
})

/** A server whose single connection is wrapped in an Outbound, and a client connected to it. */
async function pair(
  now?: () => number,
): Promise<{ outbound: Outbound; client: WebSocket; received: string[]; set: ConnectionSet }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  const set = new ConnectionSet(now === undefined ? {} : { now })
  cleanups.push(() => {
    set.closeAll()
    server.close()
  })
  await new Promise((resolve) => server.once('listening', resolve))
  const accepted = new Promise<Outbound>((resolve) =>
    server.once('connection', (socket) => resolve(set.attach(socket))),
  )
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`)
  client.on('error', () => {})
  cleanups.push(() => client.terminate())
  const received: string[] = []
  client.on('message', (data) => received.push(String(data)))
  await new Promise((resolve) => client.once('open', resolve))
  return { outbound: await accepted, client, received, set }
}

describe('Outbound', () => {
  it('sends and counts frames; injects malformed, oversized and unknown-field frames', async () => {
    let now = 1_000
    const { outbound, received, set } = await pair(() => now)
    expect(outbound.send('{"a":1}')).toBe(true)
    outbound.apply({ kind: 'malformed', count: 2 })
    outbound.apply({ kind: 'oversized', bytes: 4096 })
    outbound.apply({ kind: 'unknownFields', durationMs: 100 })
    outbound.send('{"b":2}')
    now += 200
    outbound.send('{"c":3}')
    await vi.waitFor(() => expect(received).toHaveLength(6))
    expect(received[0]).toBe('{"a":1}')
    expect(() => JSON.parse(received[1] as string)).toThrow()
    expect(() => JSON.parse(received[2] as string)).toThrow()
    expect(received[3]?.length).toBe(4096)
    expect(JSON.parse(received[4] as string)).toEqual({ x_sim_unknown: { a: [1, 'b'] }, b: 2 })
    expect(received[5]).toBe('{"c":3}')
    // Injected frames are not venue frames: only the three sends count.
    expect(set.sentFrames).toBe(3)
  })

  it('stalls: sends nothing and answers no pings until the stall ends', async () => {
    const { outbound, client, received } = await pair()
    outbound.apply({ kind: 'stall', durationMs: 1_500 })
    expect(outbound.isStalled).toBe(true)
    let pongs = 0
    client.on('pong', () => pongs++)
    client.ping()
    expect(outbound.send('{"lost":true}')).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(pongs).toBe(0)
    await vi.waitFor(() => expect(pongs).toBe(1), { timeout: 10_000 })
    expect(outbound.isStalled).toBe(false)
    expect(outbound.send('{"back":true}')).toBe(true)
    await vi.waitFor(() => expect(received).toEqual(['{"back":true}']))
  })

  it('drops with the chosen close code and reason, and forgets the connection', async () => {
    const { outbound, client, set } = await pair()
    const closed = new Promise<[number, string]>((resolve) =>
      client.once('close', (code, reason) => resolve([code, String(reason)])),
    )
    expect(set.size).toBe(1)
    set.applyFault({ kind: 'drop', code: 4000, reason: 'planned' })
    expect(await closed).toEqual([4000, 'planned'])
    await vi.waitFor(() => expect(set.size).toBe(0))
    expect(outbound.send('{}')).toBe(false)
    expect(set.applyFault({ kind: 'sequenceGap' })).toBe(false)
  })

  it('a drop with 1006 (never sent on the wire) cuts the connection without a close frame', async () => {
    const { client, set } = await pair()
    const closed = new Promise<number>((resolve) => client.once('close', (code) => resolve(code)))
    set.applyFault({ kind: 'drop', code: 1006 })
    expect(await closed).toBe(1006)
    await vi.waitFor(() => expect(set.size).toBe(0))
  })

  it('disconnects a slow consumer with 1008', async () => {
    const { outbound, client } = await pair()
    const closed = new Promise<number>((resolve) => client.once('close', (code) => resolve(code)))
    outbound.apply({ kind: 'slowConsumer' })
    expect(await closed).toBe(1008)
  })
})
