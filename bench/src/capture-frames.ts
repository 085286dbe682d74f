// Real-shaped frames for the decode and book tables: each adapter subscribes to ticker, trades, bbo
// and book on the simulator (firehose) and its `onRaw` hook records every frame and REST response.
import type { Channel, RawItem, VenueId } from '@tickmesh/core'
import { startSimulator } from '@tickmesh/simulator'
import type { BenchChannel, VenueUnderTest } from './venues'

export interface VenueCapture {
  venue: VenueId
  /** Data frames per channel, in arrival order. */
  frames: Record<BenchChannel, string[]>
  /** Every ws frame and REST response in arrival order (for frame-processor replay). */
  items: RawItem[]
}

const CHANNELS: readonly Channel[] = ['ticker', 'trades', 'bbo', 'book']

export async function captureFrames(
  venues: readonly VenueUnderTest[],
  options: { framesPerChannel: number; maxMs: number },
): Promise<VenueCapture[]> {
  const simulator = await startSimulator({
    seed: 7,
    firehose: true,
    okxChecksums: true,
    market: { tradeProbability: 0.9 },
  })
  const captures: VenueCapture[] = []
  try {
    for (const venue of venues) {
      const items: RawItem[] = []
      const frames: Record<BenchChannel, string[]> = { ticker: [], trade: [], bbo: [], book: [] }
      // Tickers come at the venue's cadence (Binance: 1/s) even in firehose mode: not waited for.
      const full = (): boolean =>
        frames.trade.length >= options.framesPerChannel && frames.book.length >= options.framesPerChannel
      const endpoints = simulator.venues[venue.venue]
      const adapter = venue.createAdapter({
        wsUrl: endpoints.ws,
        restUrl: endpoints.rest,
        onRaw: (item) => {
          if (items.length < options.framesPerChannel * 8) items.push(item)
          if (item.kind !== 'ws') return
          const channel = venue.classify(item.data)
          if (channel !== null && frames[channel].length < options.framesPerChannel)
            frames[channel].push(item.data)
        },
      })
      for (const channel of CHANNELS) {
        const subscription = adapter.subscribe({ channel, symbols: venue.symbols, depth: 20 })
        // A venue without a native channel (Coinbase bbo) refuses it; the table says so.
        subscription.ready.catch(() => undefined)
      }
      const deadline = Date.now() + options.maxMs
      while (!full() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
      await adapter.close()
      captures.push({ venue: venue.venue, frames, items })
    }
  } finally {
    await simulator.close()
  }
  return captures
}
