// Measures events/s through publisher(s) → nats-server (JetStream, file storage) → one reader.
// Run: pnpm exec tsx packages/nats/src/bench/measure-throughput.ts [events per collector] [collector counts…]
// Each "collector" is a publisher on its own connection fed as fast as its queue accepts, with a
// realistic mix (50 % books of 10 levels a side, 25 % trades, 25 % bbo); the reader is one ordered
// consumer (subscribeEvents) decoding every event. Numbers depend on the machine: run it on yours.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BboEvent, BookEvent, MarketEvent, TradeEvent } from '@tickmesh/core'
import { connectNats } from '../connect-nats'
import { createPublisher } from '../create-publisher'
import { setupStream } from '../ensure-stream'
import { subscribeEvents } from '../subscribe-events'
import { startNatsServer } from '../test-support/start-nats-server'

const SYMBOLS = [
  'BTC/USDT',
  'ETH/USDT',
  'SOL/USDT',
  'XRP/USDT',
  'DOGE/USDT',
  'ADA/USDT',
  'AVAX/USDT',
  'LINK/USDT',
]

function eventAt(collector: number, index: number): MarketEvent {
  const symbol = SYMBOLS[index % SYMBOLS.length]!
  const receivedAt = performance.timeOrigin + performance.now()
  const base = {
    venue: 'binance' as const,
    market: 'spot' as const,
    symbol,
    venueSymbol: symbol.replace('/', ''),
    exchangeTime: Math.floor(receivedAt) - 3,
    receivedAt,
  }
  const kindIndex = index % 4
  if (kindIndex === 0) {
    const trade: TradeEvent = {
      kind: 'trade',
      ...base,
      id: `${collector}-${index}`,
      price: 60_000 + (index % 100),
      amount: 0.0123,
      side: index % 8 === 0 ? 'buy' : 'sell',
    }
    return trade
  }
  if (kindIndex === 1) {
    const bbo: BboEvent = {
      kind: 'bbo',
      ...base,
      bidPrice: 59_999.5,
      bidSize: 1.25,
      askPrice: 60_000.5,
      askSize: 0.75,
    }
    return bbo
  }
  const bids: [number, number][] = []
  const asks: [number, number][] = []
  for (let level = 0; level < 10; level++) {
    bids.push([59_999.5 - level * 0.5, 0.1 + level])
    asks.push([60_000.5 + level * 0.5, 0.2 + level])
  }
  const book: BookEvent = { kind: 'book', ...base, bids, asks, sequence: index, isSnapshot: false }
  return book
}

async function run(collectors: number, perCollector: number): Promise<void> {
  const server = await startNatsServer()
  const spillRoot = await mkdtemp(join(tmpdir(), 'tickmesh-bench-'))
  const admin = await connectNats(server.url)
  try {
    await setupStream(admin, { maxBytes: 4 * 1024 ** 3 })
    const total = collectors * perCollector
    const reader = subscribeEvents(server.url, {}, { from: 'new' })
    const iterator = reader[Symbol.asyncIterator]()
    let received = 0
    let latencySum = 0
    const first = iterator.next() // starts the consumer before anything is published
    await new Promise((resolve) => setTimeout(resolve, 500))
    const started = performance.now()
    const feeding = Array.from({ length: collectors }, async (_, collector) => {
      const connection = await connectNats(server.url)
      const publisher = createPublisher({
        connection,
        spillDir: join(spillRoot, String(collector)),
        maxQueued: 20_000,
      })
      for (let index = 0; index < perCollector; index++) {
        publisher.publish(eventAt(collector, index))
        // Feed as fast as the publisher drains, never into its overflow policies.
        if (index % 1_000 === 0) {
          while (publisher.stats().queued > 10_000) await new Promise((resolve) => setImmediate(resolve))
        }
      }
      await publisher.flush(120_000)
      const stats = publisher.stats()
      await publisher.close()
      await connection.close()
      return stats
    })
    const count = (event: MarketEvent): void => {
      received++
      latencySum += performance.timeOrigin + performance.now() - event.receivedAt
    }
    const firstResult = await first
    if (!firstResult.done) count(firstResult.value)
    while (received < total) {
      const next = await iterator.next()
      if (next.done) break
      count(next.value)
    }
    const seconds = (performance.now() - started) / 1_000
    const stats = await Promise.all(feeding)
    await reader.close()
    const stored = stats.reduce((sum, entry) => sum + entry.stored, 0)
    console.log(
      `${collectors} collector(s): ${total} events in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} events/s end to end; stored ${stored}; mean publish→read latency ${(latencySum / Math.max(1, received)).toFixed(1)} ms`,
    )
  } finally {
    await admin.close()
    await server.stop()
    await rm(spillRoot, { recursive: true, force: true })
  }
}

const perCollector = Number(process.argv[2] ?? 100_000)
const counts = process.argv.slice(3).map(Number)
for (const collectors of counts.length > 0 ? counts : [1, 2, 4]) await run(collectors, perCollector)
