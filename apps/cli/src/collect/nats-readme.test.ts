import { createBinance } from '@tickmesh/binance'
import type { MarketEvent } from '@tickmesh/core'
import { connectNats, createPublisher, createWorker, setupStream, startNatsServer } from '@tickmesh/nats'
import { startSimulator } from '@tickmesh/simulator'
import { expect, it } from 'vitest'

// packages/nats/README.md's quick start, against the simulator (it lives here: the CLI has the adapters).
it('the @tickmesh/nats README quick start: Binance trades → JetStream → a worker group', async () => {
  const server = await startNatsServer()
  const sim = await startSimulator({ venues: ['binance'] })
  const nats = await connectNats(server.url)
  const binance = createBinance({ wsUrl: sim.venues.binance.ws, restUrl: sim.venues.binance.rest })
  try {
    await setupStream(nats, { maxAgeMs: 24 * 3_600_000, maxBytes: 1024 ** 3 })
    const publisher = createPublisher({ connection: nats, spillDir: `${server.storeDir}/spill` })
    binance.onEvent((event) => publisher.publish(event))
    binance.subscribe({ channel: 'trades', symbols: ['BTC/USDT'] })
    const trades: MarketEvent[] = []
    const worker = createWorker({
      connection: nats,
      durable: 'trade-workers',
      filter: { kinds: ['trade'] },
      handler: (trade) => {
        trades.push(trade)
      },
    })
    const deadline = Date.now() + 20_000
    while (trades.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(trades.length).toBeGreaterThanOrEqual(3)
    expect(trades.every((event) => event.kind === 'trade' && event.symbol === 'BTC/USDT')).toBe(true)
    await worker.stop()
    await publisher.close({ flushTimeoutMs: 1_000 })
  } finally {
    await binance.close()
    await nats.close()
    await sim.close()
    await server.stop()
  }
})
