import type { MarketEvent, StatusEvent, TradeEvent, VenueAdapter } from '@tickmesh/core'
import { marketEventSchema } from '@tickmesh/core'
import type { Simulator } from '@tickmesh/simulator'
import { createPrng, startSimulator } from '@tickmesh/simulator'
import type { ChaosVenueSpec } from './chaos-run'

// Trade continuity measured against the simulator's true trade list: the connection is dropped
// `reconnects` times; each time the market runs on while the client is away (market ticks are
// stepped synchronously when the adapter reports the drop, so the reconnect cannot come first).
// Afterwards every true trade between the first and last one received must have been delivered
// exactly once, in order — or lie inside a range a `gap` event named.

export interface ContinuityResult {
  venue: string
  reconnects: number
  /** Market ticks run while disconnected, in total. */
  ticksAway: number
  trueTrades: number
  received: number
  lost: number
  inGaps: number
  gapEvents: number
  /** Delivered trades inside a reported gap (a gap must name only what is really missing). */
  deliveredInGaps: number
  duplicates: number
  outOfOrder: number
  schemaViolations: number
  seconds: number
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export async function runTradeContinuity(
  spec: ChaosVenueSpec,
  options: { reconnects: number; seed: number; maxTicksAway?: number },
): Promise<ContinuityResult> {
  const startedAt = Date.now()
  const prng = createPrng(options.seed)
  const sim: Simulator = await startSimulator({
    venues: [spec.venue],
    seed: options.seed,
    port: 0,
    timeScale: 0.05,
    ...spec.simOptions,
  })
  const adapter: VenueAdapter = spec.create({
    wsUrl: sim.venues[spec.venue].ws,
    restUrl: sim.venues[spec.venue].rest,
    WebSocket: spec.WebSocket,
    reconnect: { baseDelayMs: 20, maxDelayMs: 200, stableAfterMs: 500 },
    ...spec.settings,
  })
  const trades: TradeEvent[] = []
  const gaps: Array<[number, number]> = []
  let schemaViolations = 0
  let reconnectingSeen = 0
  let ticksAway = 0
  let pendingTicks = 0
  adapter.onEvent((event: MarketEvent) => {
    if (!marketEventSchema.safeParse(event).success) schemaViolations++
    if (event.kind === 'status' && (event as StatusEvent).state === 'reconnecting' && pendingTicks > 0) {
      // Trades happen while the client is away.
      sim.market.step(pendingTicks)
      ticksAway += pendingTicks
      pendingTicks = 0
      reconnectingSeen++
    }
  })
  const subscription = adapter.subscribe(
    { channel: 'trades', symbols: [spec.symbol] },
    {
      onEvent: (event) => {
        if (event.kind === 'trade') trades.push(event)
        else if (event.kind === 'gap') gaps.push([Number(event.fromId), Number(event.toId)])
      },
    },
  )
  try {
    await subscription.ready
    const maxTicks = options.maxTicksAway ?? 60
    for (let round = 0; round < options.reconnects; round++) {
      await sleep(40 + Math.floor(prng.next() * 160))
      pendingTicks = 5 + Math.floor(prng.next() * maxTicks)
      const seen = reconnectingSeen
      sim.inject(spec.venue, { kind: 'drop', code: 1001 })
      const deadline = Date.now() + 15_000
      while (reconnectingSeen === seen && Date.now() < deadline) await sleep(5)
      pendingTicks = 0
      // Wait until trades flow again past the hole.
      const count = trades.length
      const flowDeadline = Date.now() + 15_000
      while (trades.length <= count && Date.now() < flowDeadline) await sleep(10)
    }
    // Let the last backfill land: stop the market and wait for the stream to go quiet.
    sim.market.stop()
    let last = -1
    for (let index = 0; index < 40 && last !== trades.length; index++) {
      last = trades.length
      await sleep(250)
    }
  } finally {
    await adapter.close()
  }
  const ids = trades.map((trade) => spec.simTradeId(trade)).filter((id): id is number => id !== null)
  const unique = new Set(ids)
  let outOfOrder = 0
  for (let index = 1; index < ids.length; index++)
    if ((ids[index] as number) < (ids[index - 1] as number)) outOfOrder++
  let lost = 0
  let inGaps = 0
  let trueTrades = 0
  let deliveredInGaps = 0
  for (const id of unique) if (gaps.some(([from, to]) => id > from && id < to)) deliveredInGaps++
  if (ids.length > 0) {
    const first = ids[0] as number
    const lastId = Math.max(...unique)
    for (const trade of sim.trueTrades(spec.venue, spec.venueSymbol, 'spot')) {
      if (trade.id < first || trade.id > lastId) continue
      trueTrades++
      if (unique.has(trade.id)) continue
      if (gaps.some(([from, to]) => trade.id > from && trade.id < to)) inGaps++
      else lost++
    }
  }
  await sim.close()
  return {
    venue: spec.venue,
    reconnects: reconnectingSeen,
    ticksAway,
    trueTrades,
    received: trades.length,
    lost,
    inGaps,
    gapEvents: gaps.length,
    deliveredInGaps,
    duplicates: ids.length - unique.size,
    outOfOrder,
    schemaViolations,
    seconds: Math.round((Date.now() - startedAt) / 100) / 10,
  }
}
