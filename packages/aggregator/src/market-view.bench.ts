// Throughput of the market view: events/s for 4 venues × 50 symbols, and the ratio to a plain loop
// that only reads the same events. Run: pnpm --filter @tickmesh/aggregator bench
import type { MarketEvent, VenueId } from '@tickmesh/core'
import type { MarketView } from './market-view'
import { createMarketView } from './market-view'

const VENUE_IDS: VenueId[] = ['binance', 'bybit', 'okx', 'coinbase']
const SYMBOL_COUNT = 50
const EVENT_COUNT = 400_000
const ROUNDS = 5

function makeEvents(): MarketEvent[] {
  const events: MarketEvent[] = []
  let seed = 42
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    return seed / 2_147_483_648
  }
  const symbols = Array.from({ length: SYMBOL_COUNT }, (_, i) => `C${i}/USDT`)
  // One fair price per symbol on a random walk; venues quote it with noise well inside the fees,
  // as in a normal market (few opportunities).
  const fair = symbols.map(() => 100)
  for (let i = 0; i < EVENT_COUNT; i++) {
    const venue = VENUE_IDS[i % VENUE_IDS.length]!
    const index = Math.floor(random() * SYMBOL_COUNT)
    const symbol = symbols[index]!
    fair[index] = fair[index]! * (1 + (random() - 0.5) * 0.0002)
    const mid = fair[index]! * (1 + (random() - 0.5) * 0.0004)
    const receivedAt = 1_700_000_000_000 + i * 0.05
    if (i % 10 === 9) {
      events.push({
        kind: 'trade',
        venue,
        market: 'spot',
        symbol,
        venueSymbol: symbol,
        exchangeTime: receivedAt - 3,
        receivedAt,
        id: String(i),
        price: mid,
        amount: random(),
        side: random() < 0.5 ? 'buy' : 'sell',
      })
    } else {
      events.push({
        kind: 'bbo',
        venue,
        market: 'spot',
        symbol,
        venueSymbol: symbol,
        exchangeTime: receivedAt - 3,
        receivedAt,
        bidPrice: mid - 0.01,
        bidSize: random() * 2,
        askPrice: mid + 0.01,
        askSize: random() * 2,
      })
    }
  }
  return events
}

function plainLoop(events: readonly MarketEvent[]): number {
  // The floor: touch every event's prices the way any consumer must.
  let checksum = 0
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!
    if (event.kind === 'bbo') checksum += (event.bidPrice ?? 0) + (event.askPrice ?? 0)
    else if (event.kind === 'trade') checksum += event.price
  }
  return checksum
}

function measure(run: () => void): number {
  const start = performance.now()
  run()
  return performance.now() - start
}

const events = makeEvents()
let opportunities = 0
const view = createMarketView({ staleAfterMs: 60_000, onOpportunity: () => opportunities++ })
// Warm up both so the JIT has compiled them before timing.
for (let i = 0; i < 2; i++) {
  for (const event of events) view.ingest(event)
  plainLoop(events)
}
let viewMs = Number.POSITIVE_INFINITY
let floorMs = Number.POSITIVE_INFINITY
let sink = 0
for (let round = 0; round < ROUNDS; round++) {
  viewMs = Math.min(
    viewMs,
    measure(() => {
      for (let i = 0; i < events.length; i++) view.ingest(events[i]!)
    }),
  )
  floorMs = Math.min(
    floorMs,
    measure(() => {
      sink += plainLoop(events)
    }),
  )
}
// Heap growth over one pass with GC exposed (NODE_OPTIONS=--expose-gc): ~0 bytes/event means the
// ingest path allocates nothing once every symbol's slots exist.
function ingestAll(target: MarketView, list: readonly MarketEvent[]): void {
  for (let i = 0; i < list.length; i++) target.ingest(list[i]!)
}
const gc = (globalThis as { gc?: () => void }).gc
let bytesPerEvent = 'n/a (run with NODE_OPTIONS=--expose-gc)'
if (gc) {
  const quiet = createMarketView({ staleAfterMs: 60_000 })
  ingestAll(quiet, events)
  ingestAll(quiet, events)
  gc()
  const before = process.memoryUsage().heapUsed
  ingestAll(quiet, events)
  bytesPerEvent = ((process.memoryUsage().heapUsed - before) / EVENT_COUNT).toFixed(2)
}
const perSecond = (EVENT_COUNT / viewMs) * 1000
console.log(
  [
    `market view: ${VENUE_IDS.length} venues × ${SYMBOL_COUNT} symbols, ${EVENT_COUNT} events (90% bbo, 10% trades), best of ${ROUNDS}`,
    `  view       ${viewMs.toFixed(1)} ms  ${(perSecond / 1e6).toFixed(2)} M events/s  ${((viewMs * 1e6) / EVENT_COUNT).toFixed(0)} ns/event`,
    `  plain loop ${floorMs.toFixed(1)} ms`,
    `  ratio view / plain loop: ${(viewMs / floorMs).toFixed(1)}×`,
    `  heap growth: ${bytesPerEvent} bytes/event`,
    `  (opportunities seen: ${opportunities}; checksum ${sink.toFixed(0)})`,
  ].join('\n'),
)
