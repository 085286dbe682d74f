import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBinance } from '@tickmesh/binance'
import { createBybit } from '@tickmesh/bybit'
import type { TradeEvent, VenueAdapter, VenueId } from '@tickmesh/core'
import {
  type Collector,
  connectNats,
  countStoredBySubject,
  createCollector,
  createPublisher,
  createWorker,
  type NatsConnection,
  type NatsServerHandle,
  setupStream,
  shardOf,
  startNatsServer,
  type Worker,
} from '@tickmesh/nats'
import { type Simulator, startSimulator } from '@tickmesh/simulator'
import { afterEach, describe, expect, it } from 'vitest'

// The scale-out topology for real: the simulator's venues → the real Binance and Bybit adapters in two
// sharded collectors → a real nats-server with JetStream → three workers in one group.

const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT']
const VENUES: VenueId[] = ['binance', 'bybit']

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined)
})

async function waitFor(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

function adaptersFor(sim: Simulator): VenueAdapter[] {
  const options = (venue: VenueId) => ({ wsUrl: sim.venues[venue].ws, restUrl: sim.venues[venue].rest })
  return [createBinance(options('binance')), createBybit(options('bybit'))]
}

const tradeKey = (event: TradeEvent): string => `${event.venue}:${event.symbol}:${event.id}`

/** The id a venue spells for a simulated trade: the Bybit simulator mimics Bybit's 19-digit spot ids. */
const venueTradeId = (venue: VenueId, id: number): string =>
  venue === 'bybit' ? String(2280000000000000000n + BigInt(id)) : String(id)

describe('collect → NATS JetStream → worker group', () => {
  it('two sharded collectors and three workers: every simulated trade is consumed exactly once, even when a worker is killed', async () => {
    const server: NatsServerHandle = await startNatsServer()
    cleanups.push(() => server.stop())
    const sim = await startSimulator({ venues: VENUES, autoStart: false, seed: 7 })
    cleanups.push(() => sim.close())
    const spillRoot = await mkdtemp(join(tmpdir(), 'tickmesh-pipeline-'))
    cleanups.push(() => rm(spillRoot, { recursive: true, force: true }))

    const open = async (name: string): Promise<NatsConnection> => {
      const connection = await connectNats(server.url, { name })
      cleanups.push(() => connection.close())
      return connection
    }
    await setupStream(await open('setup'))

    // Two collectors, each with its own connection, adapters and spill directory (as two processes).
    const collectors: Collector[] = []
    for (const index of [1, 2]) {
      const publisher = createPublisher({
        connection: await open(`collector-${index}`),
        spillDir: join(spillRoot, `shard-${index}`),
      })
      const collector = createCollector({
        adapters: adaptersFor(sim),
        publisher,
        symbols: SYMBOLS,
        channels: ['trades', 'book'],
        shard: { index, count: 2 },
      })
      cleanups.push(() => collector.close({ flushTimeoutMs: 0 }))
      collectors.push(collector)
    }
    const owned = collectors.map((collector) => collector.assignments.map((a) => `${a.venue}:${a.symbol}`))
    // The shards split the six instruments with no overlap and nothing left out.
    expect(owned[0]!.length).toBeGreaterThan(0)
    expect(owned[1]!.length).toBeGreaterThan(0)
    expect([...owned[0]!, ...owned[1]!].sort()).toEqual(
      VENUES.flatMap((venue) => SYMBOLS.map((symbol) => `${venue}:${symbol}`)).sort(),
    )
    for (const assignment of collectors[0]!.assignments) {
      expect(shardOf(assignment.venue, 'spot', assignment.symbol, 2)).toBe(1)
    }
    await Promise.all(collectors.map((collector) => collector.ready))

    // Three workers in one group; `done` counts acknowledgements the server confirmed.
    const done = new Map<string, number>()
    let handled = 0
    const workers: Worker[] = []
    let victimConnection: NatsConnection | null = null
    let victimAcked = 0
    for (const index of [1, 2, 3]) {
      const connection = await open(`worker-${index}`)
      if (index === 1) victimConnection = connection
      const worker = createWorker({
        connection,
        durable: 'trade-workers',
        filter: { kinds: ['trade'] },
        ackWaitMs: 1_000,
        batchSize: 20,
        handler: async () => {
          handled++
          // Worker 1 dies abruptly in the middle of an event it has not acknowledged.
          if (index === 1 && victimAcked === 30) {
            await connection.close()
            throw new Error('killed')
          }
        },
        onAcknowledged: (event) => {
          if (index === 1) victimAcked++
          const key = tradeKey(event as TradeEvent)
          done.set(key, (done.get(key) ?? 0) + 1)
        },
      })
      cleanups.push(() => worker.stop())
      workers.push(worker)
      await worker.ready
    }

    const trueTrades = (): Set<string> => {
      const keys = new Set<string>()
      for (const venue of VENUES) {
        for (const symbol of SYMBOLS) {
          for (const trade of sim.trueTrades(venue, symbol, 'spot'))
            keys.add(`${venue}:${symbol}:${venueTradeId(venue, trade.id)}`)
        }
      }
      return keys
    }
    sim.market.start()
    await waitFor(() => victimConnection?.isClosed() === true, 'the victim worker to be killed')
    // The market runs on after the kill until more than 100 trades exist (the survivors take the
    // rest): waits on the count, not a fixed time, so a slow machine still gets a real workload.
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    await waitFor(() => trueTrades().size > 100, 'more than 100 true trades')
    sim.market.stop()

    const truth = trueTrades()
    expect(truth.size).toBeGreaterThan(100)
    await waitFor(() => done.size >= truth.size, `${truth.size} trades to be consumed (have ${done.size})`)
    await new Promise((resolve) => setTimeout(resolve, 1_500))

    expect([...done.keys()].sort()).toEqual([...truth].sort())
    expect([...done.values()].every((count) => count === 1)).toBe(true)
    expect(victimAcked).toBe(30)
    // The event in the victim's hands (and its unacknowledged batch) went to the survivors.
    expect(workers[1]!.stats().redeliveries + workers[2]!.stats().redeliveries).toBeGreaterThan(0)
    expect(handled).toBeGreaterThan(truth.size)
    // The stream holds each trade once, though both collectors also published books.
    const stored = await countStoredBySubject(await open('check'), 'tickmesh.trade.>')
    const perSubject = Object.values(stored).reduce((sum, count) => sum + count, 0)
    expect(perSubject).toBe(truth.size)
  }, 120_000)
})
