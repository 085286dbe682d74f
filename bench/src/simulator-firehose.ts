// Why the end-to-end producer is not the simulator's own firehose: its market engine steps the whole
// market (21 instruments, books and trades) for every batch of frames, so it produces far fewer
// trades per second than a client can take. Measured here so the docs can show it, not assumed.
import { startSimulator } from '@tickmesh/simulator'
import { WebSocket } from 'ws'
import type { VenueUnderTest } from './venues'

export interface SimulatorFirehoseResult {
  venue: string
  /** Trade events/s through the tickmesh adapter from the simulator's firehose. */
  tickmeshTrades: number
  /** Frames/s a bare ws client receives on the same stream. */
  bareFrames: number
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export async function runSimulatorFirehose(
  venue: VenueUnderTest,
  durationMs: number,
): Promise<SimulatorFirehoseResult> {
  let tickmeshTrades = Number.NaN
  let bareFrames = Number.NaN
  {
    const simulator = await startSimulator({
      seed: 3,
      firehose: true,
      venues: [venue.venue],
      market: { tradeProbability: 1 },
    })
    const adapter = venue.createAdapter({
      wsUrl: simulator.venues[venue.venue].ws,
      restUrl: simulator.venues[venue.venue].rest,
    })
    try {
      let count = 0
      const subscription = adapter.subscribe(
        { channel: 'trades', symbols: [venue.symbols[0]] },
        {
          onEvent: (event) => {
            if (event.kind === 'trade') count++
          },
        },
      )
      await subscription.ready
      const before = count
      const start = performance.now()
      await sleep(durationMs)
      tickmeshTrades = ((count - before) / (performance.now() - start)) * 1000
    } finally {
      await adapter.close()
      await simulator.close()
    }
  }
  if (venue.venue === 'binance') {
    const simulator = await startSimulator({
      seed: 3,
      firehose: true,
      venues: ['binance'],
      market: { tradeProbability: 1 },
    })
    const ws = new WebSocket(`${simulator.venues.binance.ws}/ws/btcusdt@aggTrade`, {
      perMessageDeflate: false,
    })
    try {
      let count = 0
      ws.on('message', () => {
        count++
      })
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve())
        ws.once('error', reject)
      })
      await sleep(300)
      const before = count
      const start = performance.now()
      await sleep(durationMs)
      bareFrames = ((count - before) / (performance.now() - start)) * 1000
    } finally {
      ws.terminate()
      await simulator.close()
    }
  }
  return { venue: venue.venue, tickmeshTrades, bareFrames }
}
