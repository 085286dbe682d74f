import { jetstreamManager } from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import type { MarketEvent } from '@tickmesh/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connectNats } from './connect-nats'
import { createPublisher, type Publisher } from './create-publisher'
import { ensureStream } from './ensure-stream'
import { subscribeEvents } from './subscribe-events'
import { type NatsServerHandle, startNatsServer } from './test-support/start-nats-server'
import { bookEvent, tickerEvent, tradeEvent } from './test-support/test-events'

let server: NatsServerHandle
let connection: NatsConnection
let publisher: Publisher

beforeEach(async () => {
  server = await startNatsServer()
  connection = await connectNats(server.url)
  await ensureStream(await jetstreamManager(connection))
  publisher = createPublisher({ connection, spillDir: `${server.storeDir}/spill` })
})

afterEach(async () => {
  await publisher.close()
  await connection.close()
  await server.stop()
})

async function take(iterable: AsyncIterable<MarketEvent>, count: number): Promise<MarketEvent[]> {
  const out: MarketEvent[] = []
  if (count === 0) return out
  for await (const event of iterable) {
    out.push(event)
    if (out.length === count) break
  }
  return out
}

describe('subscribeEvents', () => {
  it('rebuilds state from the latest event of every subject, then follows live events', async () => {
    for (let step = 1; step <= 5; step++) {
      publisher.publish(bookEvent(step, 'BTC/USDT'))
      publisher.publish(bookEvent(step + 100, 'ETH/USDT'))
      publisher.publish(tickerEvent(step))
    }
    expect(await publisher.flush()).toBe(true)
    const subscription = subscribeEvents(server.url, { kinds: ['book'] })
    const iterator = subscription[Symbol.asyncIterator]()
    const first = await iterator.next()
    const second = await iterator.next()
    expect([first.value, second.value]).toEqual([bookEvent(5, 'BTC/USDT'), bookEvent(105, 'ETH/USDT')])
    publisher.publish(bookEvent(6, 'BTC/USDT'))
    expect((await iterator.next()).value).toEqual(bookEvent(6, 'BTC/USDT'))
    await iterator.return?.()
    await subscription.close()
  })

  it('filters several symbols client-side and reads trade history with from: all', async () => {
    for (let id = 1; id <= 3; id++) {
      publisher.publish(tradeEvent(id, 'BTC/USDT'))
      publisher.publish(tradeEvent(id, 'ETH/USDT'))
      publisher.publish(tradeEvent(id, 'SOL/USDT'))
    }
    expect(await publisher.flush()).toBe(true)
    const subscription = subscribeEvents(
      connection,
      { kinds: ['trade'], symbols: ['BTC/USDT', 'SOL/USDT'] },
      { from: 'all' },
    )
    const events = await take(subscription, 6)
    expect(events.map((event) => (event.kind === 'trade' ? `${event.symbol}#${event.id}` : ''))).toEqual([
      'BTC/USDT#1',
      'SOL/USDT#1',
      'BTC/USDT#2',
      'SOL/USDT#2',
      'BTC/USDT#3',
      'SOL/USDT#3',
    ])
    // The caller's connection stays open.
    expect(connection.isClosed()).toBe(false)
  })

  it('with validate, skips and reports events that do not match the schema', async () => {
    publisher.publish(tradeEvent(1))
    publisher.publish({ ...tradeEvent(2), price: 'cheap' } as unknown as MarketEvent)
    publisher.publish(tradeEvent(3))
    expect(await publisher.flush()).toBe(true)
    const errors: string[] = []
    const checked = subscribeEvents(
      connection,
      { kinds: ['trade'] },
      { from: 'all', validate: true, onError: (error) => errors.push(error.shortMessage) },
    )
    const ids = (await take(checked, 2)).map((event) => (event.kind === 'trade' ? event.id : ''))
    expect(ids).toEqual(['1', '3'])
    expect(errors).toEqual([
      'A message on tickmesh.trade.binance.spot.BTC-USDT does not match the tickmesh event schema.',
    ])
    const unchecked = await take(subscribeEvents(connection, { kinds: ['trade'] }, { from: 'all' }), 3)
    expect(unchecked).toHaveLength(3)
  })

  it("leaves other tools' messages under the prefix alone (the AI worker's tickmesh.analysis.…)", async () => {
    connection.publish('tickmesh.analysis.signal.BTC-USDT', JSON.stringify({ type: 'analysis' }))
    publisher.publish(tradeEvent(1))
    expect(await publisher.flush()).toBe(true)
    const errors: string[] = []
    const events = await take(
      subscribeEvents(connection, {}, { from: 'all', onError: (error) => errors.push(error.message) }),
      1,
    )
    expect(events).toEqual([tradeEvent(1)])
    expect(errors).toEqual([])
  })

  it('fails with a hint when the stream does not exist', async () => {
    const subscription = subscribeEvents(server.url, {}, { stream: 'MISSING' })
    await expect(take(subscription, 1)).rejects.toThrow(/Could not read the JetStream stream MISSING/)
  })
})
