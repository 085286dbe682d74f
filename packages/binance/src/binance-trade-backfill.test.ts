import type { MarketEvent, RestClient, TradeEvent } from '@tickmesh/core'
import { marketEventSchema, RestError } from '@tickmesh/core'
import { describe, expect, it } from 'vitest'
import { BinanceTradeBackfill } from './binance-trade-backfill'

function trade(id: number): TradeEvent {
  return {
    kind: 'trade',
    venue: 'binance',
    market: 'spot',
    symbol: 'BTC/USDT',
    venueSymbol: 'BTCUSDT',
    exchangeTime: 1_000 + id,
    receivedAt: 1,
    id: String(id),
    price: 100 + id,
    amount: 1,
    side: 'buy',
  }
}

function restTrade(id: number) {
  return { a: id, p: String(100 + id), q: '1', f: id, l: id, T: 1_000 + id, m: true, M: true }
}

/** A REST client answering aggTrades from a list of trades (or failing). */
function fakeRest(available: number[], fail = false): { client: RestClient; queries: unknown[] } {
  const queries: unknown[] = []
  const client: RestClient = {
    baseUrl: 'http://sim',
    get: async <T>(path: string, query?: Record<string, unknown>) => {
      queries.push({ path, ...query })
      if (fail) throw new RestError(`http://sim${path}`, 503, 'down', { venue: 'binance' })
      const fromId = Number(query?.fromId)
      const limit = Number(query?.limit)
      const value = available
        .filter((id) => id >= fromId)
        .slice(0, limit)
        .map(restTrade)
      return {
        value: value as T,
        raw: JSON.stringify(value),
        status: 200,
        url: `http://sim${path}`,
        receivedAt: 1,
        headers: new Headers(),
      }
    },
  }
  return { client, queries }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10))

describe('BinanceTradeBackfill', () => {
  it('fills a jump in aggregate trade ids from REST, in order, without duplicates', async () => {
    const emitted: MarketEvent[] = []
    const { client, queries } = fakeRest([1, 2, 3, 4, 5, 6, 7, 8])
    const backfill = new BinanceTradeBackfill({
      emit: (event) => emitted.push(event),
      restOf: () => client,
      isClosed: () => false,
    })
    backfill.push(trade(1))
    backfill.push(trade(2))
    backfill.push(trade(6))
    backfill.push(trade(7))
    await settle()
    backfill.push(trade(7))
    backfill.push(trade(8))
    expect(emitted.map((event) => event.kind === 'trade' && event.id)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
    ])
    expect(queries).toEqual([{ path: '/api/v3/aggTrades', symbol: 'BTCUSDT', fromId: 3, limit: 1000 }])
    for (const event of emitted) marketEventSchema.parse(event)
    expect(emitted[2]).toMatchObject({ price: 103, side: 'sell', exchangeTime: 1003 })
  })

  it('reports a gap event when REST cannot close the gap, then goes on', async () => {
    const emitted: MarketEvent[] = []
    const { client } = fakeRest([], true)
    const backfill = new BinanceTradeBackfill({
      emit: (event) => emitted.push(event),
      restOf: () => client,
      isClosed: () => false,
    })
    backfill.push(trade(10))
    backfill.push(trade(15))
    await settle()
    backfill.push(trade(16))
    expect(emitted.map((event) => event.kind)).toEqual(['trade', 'gap', 'trade', 'trade'])
    expect(emitted[1]).toMatchObject({
      kind: 'gap',
      channel: 'trades',
      fromId: '10',
      toId: '15',
      reason: expect.stringContaining('backfill failed'),
    })
    marketEventSchema.parse(emitted[1])
  })
})
