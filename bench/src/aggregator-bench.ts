// 5. Aggregator: events/s through MarketView.ingest for 4 venues × 50 symbols (90 % bbo, 10 %
// trades, a random walk with normal cross-venue noise), against the floor of a plain loop that reads
// the same events' prices.
import { createMarketView } from '@tickmesh/aggregator'
import type { MarketEvent, VenueId } from '@tickmesh/core'
import { markdownTable, ns, rate, ratio } from './format'
import { blackhole, interleave } from './measure'

const VENUE_IDS: readonly VenueId[] = ['binance', 'bybit', 'okx', 'coinbase']
export const AGGREGATOR_SYMBOLS = 50

export function syntheticEvents(count: number, seed = 42): MarketEvent[] {
  const events: MarketEvent[] = []
  let state = seed
  const random = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
    return state / 2_147_483_648
  }
  const symbols = Array.from({ length: AGGREGATOR_SYMBOLS }, (_, i) => `C${i}/USDT`)
  const fair = symbols.map(() => 100)
  for (let i = 0; i < count; i++) {
    const venue = VENUE_IDS[i % VENUE_IDS.length]!
    const index = Math.floor(random() * AGGREGATOR_SYMBOLS)
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

export interface AggregatorResult {
  events: number
  floorNs: number
  viewNs: number
  opportunities: number
}

export function runAggregatorBench(options: { rounds: number; events: number }): AggregatorResult {
  const events = syntheticEvents(options.events)
  let opportunities = 0
  const view = createMarketView({ staleAfterMs: 60_000, onOpportunity: () => opportunities++ })
  const [floor, candidate] = interleave(
    [
      {
        name: 'plain loop',
        run: () => {
          // The floor: touch every event's prices the way any consumer must.
          let checksum = 0
          for (let i = 0; i < events.length; i++) {
            const event = events[i]!
            if (event.kind === 'bbo') checksum += (event.bidPrice ?? 0) + (event.askPrice ?? 0)
            else if (event.kind === 'trade') checksum += event.price
          }
          blackhole.value += checksum
          return events.length
        },
      },
      {
        name: 'MarketView.ingest',
        run: () => {
          for (let i = 0; i < events.length; i++) view.ingest(events[i]!)
          return events.length
        },
      },
    ],
    { rounds: options.rounds, warmupRounds: 2 },
  )
  return {
    events: events.length,
    floorNs: floor?.nsPerOp ?? Number.NaN,
    viewNs: candidate?.nsPerOp ?? Number.NaN,
    opportunities,
  }
}

export function aggregatorTable(result: AggregatorResult): string {
  return markdownTable(
    ['workload', 'plain loop floor', 'MarketView.ingest', 'events/s', 'ratio'],
    [
      [
        `${VENUE_IDS.length} venues × ${AGGREGATOR_SYMBOLS} symbols, ${result.events} events/round (90 % bbo, 10 % trades)`,
        ns(result.floorNs),
        ns(result.viewNs),
        rate(1e9 / result.viewNs),
        ratio(result.viewNs / result.floorNs),
      ],
    ],
  )
}
