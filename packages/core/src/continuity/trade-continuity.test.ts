import { describe, expect, it } from 'vitest'
import type { MarketEvent, TradeEvent } from '../events'
import { marketEventSchema } from '../events'
import type { TradeRange } from './trade-continuity'
import { TradeContinuity } from './trade-continuity'

function trade(id: number): TradeEvent {
  return {
    kind: 'trade',
    venue: 'okx',
    market: 'spot',
    symbol: 'BTC/USDT',
    venueSymbol: 'BTC-USDT',
    exchangeTime: 1_000 + id,
    receivedAt: 2_000 + id,
    id: String(id),
    price: 100,
    amount: 1,
    side: 'buy',
  }
}

function harness(
  history: (range: TradeRange) => readonly TradeEvent[] | Promise<readonly TradeEvent[]>,
  options = {},
) {
  const out: MarketEvent[] = []
  const ranges: TradeRange[] = []
  const continuity = new TradeContinuity({
    venue: 'okx',
    emit: (event) => {
      marketEventSchema.parse(event)
      out.push(event)
    },
    fetchTradesSince: async (range) => {
      ranges.push(range)
      return history(range)
    },
    retryDelayMs: 1,
    ...options,
  })
  const ids = () =>
    out.filter((event) => event.kind === 'trade').map((event) => Number((event as TradeEvent).id))
  const gaps = () => out.filter((event) => event.kind === 'gap')
  return { continuity, out, ranges, ids, gaps }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20))

describe('TradeContinuity', () => {
  it('passes consecutive trades straight through and drops repeated ids', () => {
    const h = harness(() => [])
    for (const id of [5, 6, 6, 7, 5, 8]) h.continuity.push(trade(id))
    expect(h.ids()).toEqual([5, 6, 7, 8])
    expect(h.ranges).toEqual([])
  })

  it('fills a hole from REST, merged by id: no duplicates, no holes, in order', async () => {
    // REST overlaps what was received on both sides and answers newest first.
    const h = harness((range) => [13, 12, 11, 10, 9, 8].filter((id) => id > range.afterId - 1).map(trade))
    for (const id of [7, 8, 12, 13, 14]) h.continuity.push(trade(id))
    await settle()
    expect(h.ids()).toEqual([7, 8, 9, 10, 11, 12, 13, 14])
    expect(h.ranges[0]).toMatchObject({ afterId: 8, beforeId: 12, venueSymbol: 'BTC-USDT' })
    expect(h.gaps()).toEqual([])
    const states = h.out
      .filter((event) => event.kind === 'status')
      .map((event) => event.kind === 'status' && event.state)
    expect(states).toEqual(['resyncing', 'open'])
  })

  it('beyond the REST reach, a gap event names exactly the missing range', async () => {
    // REST only still has ids 97..99 of the missing 2..99.
    const h = harness((range) =>
      [99, 98, 97].filter((id) => id > range.afterId && id < range.beforeId).map(trade),
    )
    for (const id of [1, 100, 101]) h.continuity.push(trade(id))
    await settle()
    expect(h.ids()).toEqual([1, 97, 98, 99, 100, 101])
    const gap = h.gaps()[0]
    expect(h.gaps()).toHaveLength(1)
    expect(gap).toMatchObject({ kind: 'gap', channel: 'trades', fromId: '1', toId: '97', symbol: 'BTC/USDT' })
  })

  it('retries a failing REST call, then reports the hole as a gap and carries on', async () => {
    let calls = 0
    const h = harness(() => {
      calls++
      throw new Error('503')
    })
    for (const id of [1, 5, 6]) h.continuity.push(trade(id))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(calls).toBe(3)
    expect(h.ids()).toEqual([1, 5, 6])
    expect(h.gaps()[0]).toMatchObject({ fromId: '1', toId: '5' })
  })

  it('holds at most maxPending live trades while fetching; the overflow is fetched with the hole', async () => {
    let release: (value: readonly TradeEvent[]) => void = () => undefined
    const h = harness(
      (range) =>
        new Promise<readonly TradeEvent[]>((resolve) => {
          release = () =>
            resolve(
              Array.from({ length: range.beforeId - range.afterId - 1 }, (_, i) =>
                trade(range.afterId + 1 + i),
              ),
            )
        }),
      { maxPending: 3 },
    )
    h.continuity.push(trade(1))
    for (let id = 10; id < 20; id++) h.continuity.push(trade(id))
    // The first fetch asked for 2..9; only 17..19 are still held.
    release([])
    await settle()
    release([])
    await settle()
    expect(h.ids()).toEqual(Array.from({ length: 19 }, (_, i) => i + 1))
  })

  it('an aggregated trade covering several fill ids is no hole, and its fills are never fetched twice', async () => {
    const spans = new Map([
      [13, 3],
      [20, 2],
    ])
    const h = harness((range) => Array.from({ length: 12 }, (_, i) => trade(range.afterId + 1 + i)), {
      spanOf: (event: TradeEvent) => spans.get(Number(event.id)) ?? 1,
    })
    // 13 aggregates fills 11..13: consecutive after 10, no REST call.
    for (const id of [10, 13]) h.continuity.push(trade(id))
    expect(h.ranges).toEqual([])
    // 20 aggregates 19..20: the hole is 14..18 only; REST's individual 19 and 20 are not added.
    h.continuity.push(trade(20))
    await settle()
    expect(h.ranges[0]).toMatchObject({ afterId: 13, beforeId: 19 })
    expect(h.ids()).toEqual([10, 13, 14, 15, 16, 17, 18, 20])
  })

  it('close() ends pending retries and ignores later trades', async () => {
    let calls = 0
    const h = harness(
      () => {
        calls++
        throw new Error('down')
      },
      { retryDelayMs: 50 },
    )
    h.continuity.push(trade(1))
    h.continuity.push(trade(3))
    await settle()
    h.continuity.close()
    h.continuity.push(trade(4))
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(calls).toBe(1)
    expect(h.ids()).toEqual([1])
  })
})
