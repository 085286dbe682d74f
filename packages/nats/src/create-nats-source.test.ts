import type { NatsConnection } from '@nats-io/transport-node'
import type { MarketEvent } from '@tickmesh/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connectNats } from './connect-nats'
import { createNatsSource } from './create-nats-source'
import { createPublisher, type Publisher } from './create-publisher'
import { setupStream } from './ensure-stream'
import { type NatsServerHandle, startNatsServer } from './test-support/start-nats-server'
import { bookEvent, statusEvent, tradeEvent } from './test-support/test-events'

let server: NatsServerHandle
let connection: NatsConnection
let publisher: Publisher

beforeEach(async () => {
  server = await startNatsServer()
  connection = await connectNats(server.url)
  await setupStream(connection)
  publisher = createPublisher({ connection, spillDir: `${server.storeDir}/spill` })
})

afterEach(async () => {
  await publisher.close()
  await connection.close()
  await server.stop()
})

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('createNatsSource', () => {
  it('acts as a venue adapter: the latest stored book per symbol first, then live events and statuses', async () => {
    for (let step = 1; step <= 3; step++) {
      publisher.publish(bookEvent(step, 'BTC/USDT'))
      publisher.publish(bookEvent(step, 'ETH/USDT'))
      publisher.publish(bookEvent(step, 'SOL/USDT'))
    }
    publisher.publish(tradeEvent(1))
    expect(await publisher.flush()).toBe(true)

    const adapter = createNatsSource(server.url, 'binance')
    const all: MarketEvent[] = []
    adapter.onEvent((event) => all.push(event))
    const books: MarketEvent[] = []
    const subscription = adapter.subscribe(
      { channel: 'book', symbols: ['BTC/USDT', 'ETH/USDT'] },
      { onEvent: (event) => books.push(event) },
    )
    await subscription.ready
    await waitFor(() => books.length === 2)
    expect(books).toEqual([bookEvent(3, 'BTC/USDT'), bookEvent(3, 'ETH/USDT')])

    publisher.publish(bookEvent(4, 'ETH/USDT'))
    publisher.publish({ ...statusEvent(9), venue: 'binance' })
    await waitFor(() => books.length === 3 && all.some((event) => event.kind === 'status'))
    expect(books[2]).toEqual(bookEvent(4, 'ETH/USDT'))
    expect(all.filter((event) => event.kind === 'trade')).toEqual([])

    await subscription.unsubscribe()
    publisher.publish(bookEvent(5, 'ETH/USDT'))
    expect(await publisher.flush()).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(books).toHaveLength(3)
    await adapter.close()
  })

  it('refuses the subscription with a ConnectionError when NATS is unreachable', async () => {
    const down = await startNatsServer()
    const url = down.url
    await down.stop()
    const adapter = createNatsSource(url, 'okx')
    const subscription = adapter.subscribe({ channel: 'ticker', symbols: ['BTC/USDT'] })
    await expect(subscription.ready).rejects.toThrow(/Could not connect to NATS/)
    await adapter.close()
  })
})
