import { startSimulator } from '@tickmesh/simulator'
import { expect, it } from 'vitest'
import { createCoinbase } from './create-coinbase'

// The README quick start, against the simulator instead of the live feed.
it('runs the README quick start', async () => {
  const sim = await startSimulator({ venues: ['coinbase'], seed: 3 })
  try {
    const coinbase = createCoinbase({ wsUrl: sim.venues.coinbase.ws, restUrl: sim.venues.coinbase.rest })
    const book = coinbase.subscribe({ channel: 'book', symbols: ['BTC/USD'], depth: 10 })
    await book.ready
    let seen = 0
    for await (const event of book) {
      if (event.kind === 'book') {
        expect(event.bids).toHaveLength(10)
        expect(event.asks).toHaveLength(10)
        // Each event is the whole top, whether it follows Coinbase's snapshot or an l2update.
        expect(typeof event.isSnapshot).toBe('boolean')
        expect(event.sequence).toBeNull()
        expect(event.bids[0]![0]).toBeLessThan(event.asks[0]![0])
        seen++
      }
      if (seen === 3) break
    }
    await coinbase.close()
  } finally {
    await sim.close()
  }
})
