import { describe, expect, it } from 'vitest'
import type { ErrorEvent, MarketEvent, TradeEvent } from '../events'
import { EventStream } from './event-stream'

function trade(id: number): TradeEvent {
  return {
    kind: 'trade',
    venue: 'binance',
    market: 'spot',
    symbol: 'BTC/USDT',
    venueSymbol: 'BTCUSDT',
    exchangeTime: null,
    receivedAt: id,
    id: String(id),
    price: 100,
    amount: 1,
    side: 'buy',
  }
}

describe('EventStream', () => {
  it('delivers to callbacks synchronously and to iterators in order', async () => {
    const stream = new EventStream({ venue: 'binance' })
    const seen: MarketEvent[] = []
    stream.on((event) => seen.push(event))
    const iterator = stream[Symbol.asyncIterator]()
    stream.push(trade(1))
    stream.push(trade(2))
    expect(seen.map((event) => (event as TradeEvent).id)).toEqual(['1', '2'])
    expect(((await iterator.next()).value as TradeEvent).id).toBe('1')
    expect(((await iterator.next()).value as TradeEvent).id).toBe('2')
  })

  it('resolves a waiting iterator when an event arrives', async () => {
    const stream = new EventStream({ venue: 'binance' })
    const iterator = stream[Symbol.asyncIterator]()
    const pending = iterator.next()
    stream.push(trade(7))
    expect(((await pending).value as TradeEvent).id).toBe('7')
  })

  it('bounds a slow iterator: oldest events are dropped, then a SLOW_CONSUMER error says how many', async () => {
    const stream = new EventStream({ venue: 'okx', highWaterMark: 3 })
    const iterator = stream[Symbol.asyncIterator]()
    for (let id = 1; id <= 10; id++) stream.push(trade(id))
    const first = (await iterator.next()).value as ErrorEvent
    expect(first.kind).toBe('error')
    expect(first.code).toBe('SLOW_CONSUMER')
    expect(first.venue).toBe('okx')
    expect(first.message).toContain('7')
    expect(first.hint).toMatch(/highWaterMark/)
    const rest: string[] = []
    for (let i = 0; i < 3; i++) rest.push(((await iterator.next()).value as TradeEvent).id)
    expect(rest).toEqual(['8', '9', '10'])
  })

  it('a callback that throws does not break other callbacks or iterators', async () => {
    const stream = new EventStream({ venue: 'bybit' })
    const seen: string[] = []
    stream.on(() => {
      throw new Error('user bug')
    })
    stream.on((event) => seen.push((event as TradeEvent).id))
    const iterator = stream[Symbol.asyncIterator]()
    expect(() => stream.push(trade(1))).not.toThrow()
    expect(seen).toEqual(['1'])
    expect(((await iterator.next()).value as TradeEvent).id).toBe('1')
  })

  it('on() returns an unsubscribe', () => {
    const stream = new EventStream({ venue: 'bybit' })
    let count = 0
    const off = stream.on(() => count++)
    stream.push(trade(1))
    off()
    stream.push(trade(2))
    expect(count).toBe(1)
  })

  it('close() lets iterators drain what is buffered, then end; later pushes are ignored', async () => {
    const stream = new EventStream({ venue: 'coinbase' })
    const iterator = stream[Symbol.asyncIterator]()
    stream.push(trade(1))
    stream.close()
    stream.push(trade(2))
    expect(stream.isClosed).toBe(true)
    expect(((await iterator.next()).value as TradeEvent).id).toBe('1')
    expect((await iterator.next()).done).toBe(true)
    const late = stream[Symbol.asyncIterator]()
    expect((await late.next()).done).toBe(true)
  })

  it('close() ends an iterator that is waiting', async () => {
    const stream = new EventStream({ venue: 'coinbase' })
    const iterator = stream[Symbol.asyncIterator]()
    const pending = iterator.next()
    stream.close()
    expect((await pending).done).toBe(true)
  })

  it('breaking out of for-await detaches the iterator', async () => {
    const stream = new EventStream({ venue: 'binance' })
    stream.push(trade(0)) // before any iterator: not buffered for it
    setTimeout(() => {
      stream.push(trade(1))
      stream.push(trade(2))
    }, 0)
    const ids: string[] = []
    for await (const event of stream) {
      ids.push((event as TradeEvent).id)
      if (ids.length === 1) break
    }
    expect(ids).toEqual(['1'])
    // The detached iterator no longer buffers: pushing many events cannot grow memory for it.
    for (let id = 0; id < 100; id++) stream.push(trade(id))
    expect((stream as unknown as { iterators: Set<unknown> }).iterators.size).toBe(0)
  })
})
