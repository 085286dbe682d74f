import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jetstreamManager } from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import type { MarketEvent, TradeEvent } from '@tickmesh/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connectNats } from './connect-nats'
import { createPublisher, type Publisher } from './create-publisher'
import { ensureStream } from './ensure-stream'
import { jsonCodec } from './event-codec'
import { type NatsServerHandle, startNatsServer } from './test-support/start-nats-server'
import { bookEvent, statusEvent, tickerEvent, tradeEvent } from './test-support/test-events'

let server: NatsServerHandle
let connection: NatsConnection
let spillDir: string
const publishers: Publisher[] = []

beforeEach(async () => {
  server = await startNatsServer()
  connection = await connectNats(server.url, { reconnectTimeWaitMs: 100 })
  await ensureStream(await jetstreamManager(connection), { name: 'TEST' })
  spillDir = await mkdtemp(join(tmpdir(), 'tickmesh-spill-test-'))
})

afterEach(async () => {
  for (const publisher of publishers.splice(0)) await publisher.close({ flushTimeoutMs: 0 })
  await connection.close()
  await server.stop()
  await rm(spillDir, { recursive: true, force: true })
})

function publisherFor(overrides: Partial<Parameters<typeof createPublisher>[0]> = {}): Publisher {
  const publisher = createPublisher({
    connection,
    spillDir,
    ackTimeoutMs: 500,
    retryBaseDelayMs: 50,
    ...overrides,
  })
  publishers.push(publisher)
  return publisher
}

/** Every stored message of the stream, in order. */
async function storedEvents(): Promise<
  { subject: string; event: MarketEvent; messageId: string | undefined }[]
> {
  const jsm = await jetstreamManager(connection)
  const info = await jsm.streams.info('TEST')
  const out: { subject: string; event: MarketEvent; messageId: string | undefined }[] = []
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const message = await jsm.streams.getMessage('TEST', { seq })
    if (message === null) continue
    const decoded = jsonCodec.decode(message.data)
    if (!decoded.success) throw decoded.error
    out.push({ subject: message.subject, event: decoded.value, messageId: message.header.get('Nats-Msg-Id') })
  }
  return out
}

describe('createPublisher', () => {
  it('stores each event on its subject with a Nats-Msg-Id, and JSON round-trips it exactly', async () => {
    const publisher = publisherFor()
    const events: MarketEvent[] = [
      tradeEvent(1),
      bookEvent(1, 'ETH/USDT:USDT', { market: 'linear' }),
      tickerEvent(5),
    ]
    for (const event of events) publisher.publish(event)
    expect(await publisher.flush()).toBe(true)
    const stored = await storedEvents()
    expect(stored.map((entry) => entry.subject)).toEqual([
      'tickmesh.trade.binance.spot.BTC-USDT',
      'tickmesh.book.binance.linear.ETH-USDT-USDT',
      'tickmesh.ticker.okx.spot.BTC-USDT',
    ])
    expect(stored.map((entry) => entry.event)).toEqual(events)
    expect(stored[0]!.messageId).toBe('trade:binance:spot:BTC/USDT:1')
    expect(publisher.stats()).toMatchObject({ stored: 3, duplicates: 0, queued: 0, inFlight: 0 })
  })

  it('drops trades published again after a collector restart (deduplicated by the server)', async () => {
    const first = publisherFor()
    for (let id = 1; id <= 50; id++) first.publish(tradeEvent(id))
    expect(await first.flush()).toBe(true)
    await first.close()
    // The restarted collector receives the last 20 trades again (REST backfill) and 10 new ones.
    const second = publisherFor()
    for (let id = 31; id <= 60; id++)
      second.publish(tradeEvent(id, 'BTC/USDT', { receivedAt: Date.now() + id }))
    expect(await second.flush()).toBe(true)
    expect(second.stats()).toMatchObject({ stored: 10, duplicates: 20 })
    const ids = (await storedEvents()).map((entry) => (entry.event as TradeEvent).id)
    expect(ids).toEqual(Array.from({ length: 60 }, (_, index) => String(index + 1)))
  })

  it('while NATS is down: conflates books and tickers, spills trades to disk, drops and counts statuses; republishes after', async () => {
    const errors: string[] = []
    const publisher = publisherFor({
      maxQueued: 20,
      maxInFlight: 4,
      spillSegmentEvents: 10,
      onError: (error) => errors.push(error.code),
    })
    await server.pause()
    for (let step = 1; step <= 100; step++) {
      publisher.publish(tradeEvent(step))
      publisher.publish(bookEvent(step))
      publisher.publish(tickerEvent(step))
      publisher.publish(statusEvent(step))
    }
    const during = publisher.stats()
    expect(during.queued + during.inFlight).toBeLessThanOrEqual(20 + 2 + 4)
    expect(during.spilled).toBeGreaterThan(0)
    expect(during.conflated.book).toBeGreaterThan(0)
    expect(during.conflated.ticker).toBeGreaterThan(0)
    expect(during.dropped.status).toBeGreaterThan(0)
    expect((await readdir(spillDir)).length).toBeGreaterThan(0)

    await server.restart()
    expect(await publisher.flush(20_000)).toBe(true)
    const stored = await storedEvents()
    const trades = stored
      .filter((entry) => entry.event.kind === 'trade')
      .map((entry) => (entry.event as TradeEvent).id)
    // Every trade exactly once and in order, though most of them went through the spill file.
    expect(trades).toEqual(Array.from({ length: 100 }, (_, index) => String(index + 1)))
    const books = stored.filter((entry) => entry.event.kind === 'book')
    expect(books.at(-1)!.event).toEqual(bookEvent(100))
    const tickers = stored.filter((entry) => entry.event.kind === 'ticker')
    expect(tickers.at(-1)!.event).toEqual(tickerEvent(100))
    const after = publisher.stats()
    expect(after.spillPending).toBe(0)
    expect(after.lost).toEqual({})
    expect(after.publishErrors).toBeGreaterThan(0)
    expect(errors).toContain('CONNECTION_ERROR')
    expect(await readdir(spillDir)).toEqual([])
  })

  it('spills unconfirmed trades on close and republishes them from the next run', async () => {
    const first = publisherFor({ maxQueued: 1_000 })
    await server.pause()
    for (let id = 1; id <= 30; id++) first.publish(tradeEvent(id))
    await first.close({ flushTimeoutMs: 100 })
    expect(first.stats().spilled).toBe(30)
    await server.restart()
    const second = publisherFor()
    expect(await second.flush(20_000)).toBe(true)
    const ids = (await storedEvents()).map((entry) => (entry.event as TradeEvent).id)
    expect(new Set(ids).size).toBe(30)
    expect(ids.length).toBe(30)
    expect(second.stats().republished).toBe(30)
  })
})
