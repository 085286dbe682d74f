import type { MarketEvent, RawItem, VenueAdapter } from '@tickmesh/core'
import { type Simulator, startSimulator } from '@tickmesh/simulator'
import { afterEach, expect, it } from 'vitest'
import { createCoinbaseFrameProcessor } from './coinbase-frame-processor'
import { createCoinbase } from './create-coinbase'

let sim: Simulator | null = null
let adapter: VenueAdapter | null = null
afterEach(async () => {
  await adapter?.close()
  await sim?.close()
  adapter = null
  sim = null
})

async function until(predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/**
 * What both runs must agree on: each stream's events in order, without local receive times. Books
 * and trades are compared as separate streams: a REST backfill resolves asynchronously, so where
 * backfilled trades fall between book events depends on timing, live and in replay alike.
 */
function comparable(events: readonly MarketEvent[]): Record<string, unknown[]> {
  const streams: Record<string, unknown[]> = { book: [], trades: [] }
  for (const event of events) {
    if (event.kind === 'book') streams.book!.push({ ...event, receivedAt: 0 })
    else if (event.kind === 'trade' || event.kind === 'gap') streams.trades!.push({ ...event, receivedAt: 0 })
  }
  return streams
}

// `onRaw` records every frame and REST response; feeding them to the frame processor (as
// `tickmesh replay` does) must give the same books and trades, backfill included.
it('replays a recording into the same books and trades, REST backfill included', async () => {
  sim = await startSimulator({ venues: ['coinbase'], seed: 5, autoStart: false })
  const raw: RawItem[] = []
  const live: MarketEvent[] = []
  adapter = createCoinbase({
    wsUrl: sim.venues.coinbase.ws,
    restUrl: sim.venues.coinbase.rest,
    onRaw: (item) => raw.push(item),
  })
  adapter.onEvent((event) => live.push(event))
  const book = adapter.subscribe({ channel: 'book', symbols: ['BTC/USD'], depth: 5 })
  const trades = adapter.subscribe({ channel: 'trades', symbols: ['BTC/USD'] })
  await Promise.all([book.ready, trades.ready])
  const stepTrades = (count: number) => {
    const start = sim!.trueTrades('coinbase', 'BTC-USD').length
    for (let i = 0; i < 10_000 && sim!.trueTrades('coinbase', 'BTC-USD').length < start + count; i++)
      sim!.market.step()
  }
  stepTrades(3)
  sim.inject('coinbase', { kind: 'sequenceGap', symbol: 'BTC/USD' })
  stepTrades(3)
  const truth = sim.trueTrades('coinbase', 'BTC-USD')
  const lastId = String(truth[truth.length - 1]!.id)
  await until(() => live.some((e) => e.kind === 'trade' && e.id === lastId))
  // level2_batch merges the changes of each 50 ms window: a snapshot plus at least one update.
  await until(() => live.filter((e) => e.kind === 'book').length >= 2)
  await adapter.close()
  adapter = null
  expect(raw.some((item) => item.kind === 'rest' && item.url.includes('/trades'))).toBe(true)

  // Replay: REST answered from the recording, in the order it was recorded.
  const recorded = raw.filter((item) => item.kind === 'rest')
  const replayFetch = (async (input: string | URL | Request) => {
    const url = String(input)
    const index = recorded.findIndex((item) => item.url === url)
    if (index < 0) return new Response('{"message":"not recorded"}', { status: 404 })
    const [item] = recorded.splice(index, 1)
    return new Response(item!.data, { status: item!.status ?? 200 })
  }) as typeof fetch
  const replayed: MarketEvent[] = []
  const processor = createCoinbaseFrameProcessor({
    emit: (event) => replayed.push(event),
    restUrl: sim.venues.coinbase.rest,
    fetch: replayFetch,
    bookDepth: 5,
  })
  for (const item of raw) if (item.kind === 'ws') processor.push(item.data, item.market, item.receivedAt)
  await until(() => replayed.some((e) => e.kind === 'trade' && e.id === lastId))
  processor.close()
  expect(comparable(replayed)).toEqual(comparable(live))
})
