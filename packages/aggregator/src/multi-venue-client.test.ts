import type { MarketEvent } from '@tickmesh/core'
import { ConfigError, SubscriptionError } from '@tickmesh/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { OpportunityEvent } from './arbitrage-detector'
import { FakeAdapter } from './fake-adapter'
import type { MultiVenueClient } from './multi-venue-client'
import { createMultiVenueClient } from './multi-venue-client'
import { bbo, status } from './test-events'

describe('multi-venue client', () => {
  let client: MultiVenueClient | null = null
  afterEach(async () => {
    await client?.close()
    client = null
  })

  it('subscribes the same symbols and channels on every adapter', async () => {
    const binance = new FakeAdapter('binance')
    const okx = new FakeAdapter('okx')
    client = createMultiVenueClient({
      adapters: [binance, okx],
      symbols: ['BTC/USDT', 'ETH/USDT'],
      channels: ['bbo', 'trades'],
      sweepIntervalMs: 0,
    })
    expect(await client.ready).toEqual([])
    expect(client.venues).toEqual(['binance', 'okx'])
    for (const adapter of [binance, okx]) {
      expect(adapter.requests).toEqual([
        { channel: 'bbo', symbols: ['BTC/USDT', 'ETH/USDT'], market: 'spot' },
        { channel: 'trades', symbols: ['BTC/USDT', 'ETH/USDT'], market: 'spot' },
      ])
    }
  })

  it('merges every venue into one stream, callbacks and async iteration, and feeds the view', async () => {
    const binance = new FakeAdapter('binance')
    const bybit = new FakeAdapter('bybit')
    client = createMultiVenueClient({ adapters: [binance, bybit], symbols: ['BTC/USDT'], sweepIntervalMs: 0 })
    const seen: MarketEvent[] = []
    const opportunities: OpportunityEvent[] = []
    client.onEvent((event) => seen.push(event))
    client.onOpportunity((event) => opportunities.push(event))
    const iterator = client[Symbol.asyncIterator]()

    binance.emit(bbo('binance', 'BTC/USDT', 1, 99, 100))
    bybit.emit(bbo('bybit', 'BTC/USDT', 2, 101, 102))
    // A symbol this client did not ask for (the adapter is shared) stays out.
    bybit.emit(bbo('bybit', 'SOL/USDT', 3, 1, 2))
    bybit.emit(status('bybit', 'reconnecting', 4, { attempt: 1 }))

    expect(seen.map((event) => `${event.venue}:${event.kind}`)).toEqual([
      'binance:bbo',
      'bybit:bbo',
      'bybit:status',
    ])
    const first = await iterator.next()
    expect(first.value).toMatchObject({ venue: 'binance', kind: 'bbo' })
    expect(client.view.symbols()).toEqual(['BTC/USDT'])
    expect(opportunities.map((event) => event.type)).toEqual(['opened', 'closed'])
    expect(client.view.bbo('BTC/USDT')).toMatchObject({ bidVenue: 'binance', venues: ['binance'] })
    await client.close()
    // Iteration ends after what was buffered.
    const rest: string[] = []
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      rest.push(next.value.kind)
    expect(rest).toEqual(['bbo', 'status'])
  })

  it('uses per-venue symbols so BTC/USD on Coinbase joins BTC/USDT elsewhere', async () => {
    const binance = new FakeAdapter('binance')
    const coinbase = new FakeAdapter('coinbase')
    client = createMultiVenueClient({
      adapters: [binance, coinbase],
      symbols: ['BTC/USDT'],
      symbolsByVenue: { coinbase: ['BTC/USD'] },
      quoteEquivalence: ['USD=USDT'],
      sweepIntervalMs: 0,
    })
    expect(coinbase.requests[0]!.symbols).toEqual(['BTC/USD'])
    binance.emit(bbo('binance', 'BTC/USDT', 1, 99, 100))
    coinbase.emit(bbo('coinbase', 'BTC/USD', 1, 99.5, 99.9))
    expect(client.view.bbo('BTC/USDT')).toMatchObject({
      bidVenue: 'coinbase',
      askVenue: 'coinbase',
      mergedQuotes: ['USDT', 'USD'],
    })
  })

  it('reports refused subscriptions through ready without rejecting', async () => {
    const okx = new FakeAdapter('okx', new Set(['NOPE/USDT']))
    client = createMultiVenueClient({ adapters: [okx], symbols: ['NOPE/USDT'], sweepIntervalMs: 0 })
    const failures = await client.ready
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatchObject({ venue: 'okx', channel: 'bbo', symbols: ['NOPE/USDT'] })
    expect(failures[0]!.error).toBeInstanceOf(SubscriptionError)
  })

  it('closes stale opportunities from its own sweep timer and clears it on close', async () => {
    let now = 0
    const binance = new FakeAdapter('binance')
    const okx = new FakeAdapter('okx')
    client = createMultiVenueClient({
      adapters: [binance, okx],
      symbols: ['BTC/USDT'],
      staleAfterMs: 50,
      now: () => now,
      sweepIntervalMs: 5,
    })
    const events: OpportunityEvent[] = []
    client.onOpportunity((event) => events.push(event))
    binance.emit(bbo('binance', 'BTC/USDT', 0, 99, 100))
    okx.emit(bbo('okx', 'BTC/USDT', 0, 101, 102))
    expect(events.map((event) => event.type)).toEqual(['opened'])
    now = 100
    const deadline = Date.now() + 10_000
    while (events.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5))
    expect(events[1]).toMatchObject({ type: 'closed', reason: 'stale' })
    await client.close()
    expect(binance.unsubscribed).toHaveLength(1)
    // Adapters passed in belong to the caller: unsubscribed, not closed.
    expect(binance.closed).toBe(false)
  })

  it('undoes every subscription when a venue refuses a request synchronously', () => {
    const binance = new FakeAdapter('binance')
    const coinbase = new FakeAdapter('coinbase', new Set(), 'candles')
    expect(() =>
      createMultiVenueClient({
        adapters: [binance, coinbase],
        symbols: ['BTC/USDT'],
        channels: ['bbo', 'candles'],
      }),
    ).toThrow(SubscriptionError)
    expect(binance.unsubscribed).toHaveLength(2)
    expect(coinbase.unsubscribed).toHaveLength(1)
  })

  it('validates its settings with ConfigError hints', () => {
    expect(() => createMultiVenueClient({ adapters: [], symbols: ['BTC/USDT'] })).toThrow(ConfigError)
    expect(() =>
      createMultiVenueClient({
        adapters: [new FakeAdapter('okx'), new FakeAdapter('okx')],
        symbols: ['BTC/USDT'],
      }),
    ).toThrow(/Two adapters for okx/)
    expect(() =>
      createMultiVenueClient({ adapters: [new FakeAdapter('okx')], symbols: ['BTCUSDT'] }),
    ).toThrow(/BTC\/USDT/)
  })
})

describe('multi-venue client from venue settings', () => {
  it('refuses adapters and venues together, and no venues at all', () => {
    expect(() =>
      createMultiVenueClient({
        adapters: [new FakeAdapter('okx')],
        venues: { okx: {} },
        symbols: ['BTC/USDT'],
      }),
    ).toThrow(/not both/)
    expect(() => createMultiVenueClient({ venues: {}, symbols: ['BTC/USDT'] })).toThrow(ConfigError)
  })

  it('checks symbols before it creates any adapter', () => {
    expect(() => createMultiVenueClient({ venues: { binance: {} }, symbols: ['btcusdt'] })).toThrow(
      /BTC\/USDT/,
    )
  })
})
