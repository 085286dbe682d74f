import { jetstreamManager } from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import type { MarketEvent, TradeEvent } from '@tickmesh/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connectNats } from './connect-nats'
import { createPublisher } from './create-publisher'
import { createWorker, type Worker } from './create-worker'
import { ensureStream } from './ensure-stream'
import { type NatsServerHandle, startNatsServer } from './test-support/start-nats-server'
import { bookEvent, tradeEvent } from './test-support/test-events'

let server: NatsServerHandle
const connections: NatsConnection[] = []
const workers: Worker[] = []

async function connection(): Promise<NatsConnection> {
  const opened = await connectNats(server.url, { reconnectTimeWaitMs: 100 })
  connections.push(opened)
  return opened
}

async function publishTrades(from: number, to: number): Promise<void> {
  const publisher = createPublisher({ connection: await connection(), spillDir: `${server.storeDir}/spill` })
  for (let id = from; id <= to; id++) publisher.publish(tradeEvent(id))
  publisher.publish(bookEvent(1))
  expect(await publisher.flush(20_000)).toBe(true)
  await publisher.close()
}

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

beforeEach(async () => {
  server = await startNatsServer()
  await ensureStream(await jetstreamManager(await connection()))
})

afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop()
  for (const open of connections.splice(0)) await open.close()
  await server.stop()
})

describe('createWorker', () => {
  it('splits the events among the workers of one group, each event to exactly one worker', async () => {
    await publishTrades(1, 300)
    const seen = new Map<string, number[]>()
    for (let index = 0; index < 3; index++) {
      const worker = createWorker({
        connection: await connection(),
        durable: 'trade-workers',
        filter: { kinds: ['trade'] },
        batchSize: 10,
        handler: (event: MarketEvent) => {
          const id = (event as TradeEvent).id
          seen.set(id, [...(seen.get(id) ?? []), index])
        },
      })
      workers.push(worker)
      await worker.ready
    }
    await waitFor(() => seen.size === 300)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect([...seen.values()].every((by) => by.length === 1)).toBe(true)
    const perWorker = workers.map((worker) => worker.stats().acknowledged)
    expect(perWorker.reduce((sum, count) => sum + count, 0)).toBe(300)
  })

  it('redelivers what a killed worker held to the others: nothing is lost', async () => {
    await publishTrades(1, 200)
    const done = new Set<string>()
    let killedHandled = 0
    const victimConnection = await connection()
    const victim = createWorker({
      connection: victimConnection,
      durable: 'group',
      ackWaitMs: 1_000,
      batchSize: 50,
      filter: { kinds: ['trade'] },
      handler: async () => {
        killedHandled++
        // The victim dies while holding its batch: never acknowledges.
        if (killedHandled === 5) await victimConnection.close()
        await new Promise(() => undefined)
      },
    })
    await victim.ready
    await waitFor(() => killedHandled >= 1)
    const survivor = createWorker({
      connection: await connection(),
      durable: 'group',
      ackWaitMs: 1_000,
      filter: { kinds: ['trade'] },
      handler: (event) => {
        done.add((event as TradeEvent).id)
      },
    })
    workers.push(survivor)
    await waitFor(() => done.size === 200)
    expect(survivor.stats().redeliveries).toBeGreaterThan(0)
  })

  it('retries an event whose handler failed, and terminates payloads that are not tickmesh events', async () => {
    const open = await connection()
    await publishTrades(1, 1)
    open.publish('tickmesh.trade.binance.spot.JUNK', 'not json')
    await open.flush()
    const attempts: number[] = []
    const errors: string[] = []
    const worker = createWorker({
      connection: open,
      durable: 'retry',
      retryDelayMs: 50,
      filter: 'tickmesh.trade.>',
      onError: (error) => errors.push(error.code),
      handler: (_event, delivery) => {
        attempts.push(delivery.deliveryCount)
        if (delivery.deliveryCount < 3) throw new Error('downstream unavailable')
      },
    })
    workers.push(worker)
    await waitFor(() => worker.stats().acknowledged === 1)
    expect(attempts).toEqual([1, 2, 3])
    expect(worker.stats()).toMatchObject({ failed: 2, undecodable: 1 })
    expect(errors).toContain('DECODE_ERROR')
  })
})
