import type { BookEvent, MarketEvent, RawItem, SubscribeRequest, VenueAdapter } from '@tickmesh/core'
import { AuthenticationError, createCredentials, marketEventSchema, SubscriptionError } from '@tickmesh/core'
import type { Simulator } from '@tickmesh/simulator'
import { priceOf, sizeOf, startSimulator } from '@tickmesh/simulator'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BYBIT_SIM_CREDENTIALS } from '../../simulator/src/venues/bybit/bybit-sim-auth'
import type { BybitSettings } from './bybit-settings'
import { BYBIT_DEFAULT_BOOK_DEPTH } from './bybit-settings'
import { createBybit } from './create-bybit'

let sim: Simulator
const adapters: VenueAdapter[] = []

beforeEach(async () => {
  sim = await startSimulator({ venues: ['bybit'], seed: 11, timeScale: 0.05 })
})

afterEach(async () => {
  for (const adapter of adapters.splice(0)) await adapter.close()
  await sim.close()
})

function adapter(extra: Partial<BybitSettings> = {}): VenueAdapter {
  const created = createBybit({
    wsUrl: sim.venues.bybit.ws,
    restUrl: sim.venues.bybit.rest,
    reconnect: { baseDelayMs: 20, maxDelayMs: 100 },
    ...extra,
  })
  adapters.push(created)
  return created
}

/** Subscribes and records every event (schema-checked), with a helper to wait for one. */
function record(bybit: VenueAdapter, request: SubscribeRequest) {
  const events: MarketEvent[] = []
  const waiters: { test: (event: MarketEvent) => boolean; resolve: (event: MarketEvent) => void }[] = []
  const subscription = bybit.subscribe(request, {
    onEvent: (event) => {
      marketEventSchema.parse(event)
      events.push(event)
      for (const waiter of waiters.splice(0)) {
        if (waiter.test(event)) waiter.resolve(event)
        else waiters.push(waiter)
      }
    },
  })
  const waitFor = <T extends MarketEvent>(
    test: (event: MarketEvent) => event is T,
    timeoutMs = 10_000,
  ): Promise<T> => {
    const found = events.find(test)
    if (found !== undefined) return Promise.resolve(found as T)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out; got ${events.map((e) => e.kind).join(',')}`)),
        timeoutMs,
      )
      waiters.push({
        test,
        resolve: (event) => {
          clearTimeout(timer)
          resolve(event as T)
        },
      })
    })
  }
  return { subscription, events, waitFor }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const isKind =
  <K extends MarketEvent['kind']>(kind: K) =>
  (event: MarketEvent): event is Extract<MarketEvent, { kind: K }> =>
    event.kind === kind

function trueLevels(market: 'spot' | 'linear', venueSymbol: string, depth: number) {
  const instrument = sim.market.instrument('bybit', venueSymbol, market)
  if (instrument === undefined) throw new Error('no instrument')
  const book = sim.trueBook('bybit', venueSymbol, depth, market)
  return {
    bids: book.bids.map(([price, size]) => [priceOf(instrument, price), sizeOf(instrument, size)]),
    asks: book.asks.map(([price, size]) => [priceOf(instrument, price), sizeOf(instrument, size)]),
  }
}

/**
 * Stops the market and returns the client's latest book once no book event has arrived for 300 ms
 * (at most 8 s: generous for a loaded machine).
 */
async function settledBook(events: MarketEvent[]): Promise<BookEvent> {
  sim.market.stop()
  const deadline = Date.now() + 8_000
  let count = -1
  while (Date.now() < deadline) {
    const now = events.filter(isKind('book')).length
    if (now === count) break
    count = now
    await sleep(300)
  }
  const last = events.filter(isKind('book')).at(-1)
  if (last === undefined) throw new Error('no book event')
  return last
}

describe('createBybit against the simulator: public channels', () => {
  for (const market of ['spot', 'linear'] as const) {
    const symbol = market === 'spot' ? 'BTC/USDT' : 'BTC/USDT:USDT'
    it(`${market}: ticker, trades, bbo, book and candles arrive normalized; unsubscribe ends them`, async () => {
      const bybit = adapter()
      const ticker = record(bybit, { channel: 'ticker', symbols: [symbol], market })
      const trades = record(bybit, { channel: 'trades', symbols: [symbol], market })
      const bbo = record(bybit, { channel: 'bbo', symbols: [symbol], market })
      const book = record(bybit, { channel: 'book', symbols: [symbol], market, depth: 10 })
      const candles = record(bybit, { channel: 'candles', symbols: [symbol], market, interval: '1m' })
      await Promise.all([ticker, trades, bbo, book, candles].map((entry) => entry.subscription.ready))
      const tick = await ticker.waitFor(isKind('ticker'))
      expect(tick).toMatchObject({ venue: 'bybit', market, symbol, venueSymbol: 'BTCUSDT' })
      expect(tick.last).toBeGreaterThan(0)
      if (market === 'linear') expect(tick.bid).toBeGreaterThan(0)
      else expect(tick.bid).toBeNull()
      const trade = await trades.waitFor(isKind('trade'))
      expect(trade).toMatchObject({ market, symbol })
      expect(trade.price).toBeGreaterThan(0)
      const top = await bbo.waitFor(isKind('bbo'))
      expect(top.askPrice).toBeGreaterThan(top.bidPrice ?? 0)
      const levels = await book.waitFor(isKind('book'))
      expect(levels.bids).toHaveLength(10)
      expect(levels.asks).toHaveLength(10)
      const candle = await candles.waitFor(isKind('candle'))
      expect(candle).toMatchObject({ interval: '1m', symbol, closed: false })
      // Only the subscribed kind (and connection status) reaches each subscription.
      expect(new Set(bbo.events.map((event) => event.kind).filter((kind) => kind !== 'status'))).toEqual(
        new Set(['bbo']),
      )
      expect(bbo.events.filter(isKind('status')).every((event) => event.symbol === null)).toBe(true)
      await trades.subscription.unsubscribe()
      const count = trades.events.length
      await sleep(300)
      expect(trades.events.length).toBe(count)
      // The iterator of an unsubscribed subscription ends.
      const iterator = trades.subscription[Symbol.asyncIterator]()
      expect((await iterator.next()).done).toBe(true)
      expect(ticker.events.length).toBeGreaterThan(0)
    })
  }

  it('lists instruments with tick and lot sizes', async () => {
    const list = await adapter().instruments('linear')
    expect(list).toContainEqual(
      expect.objectContaining({
        symbol: 'ETH/USDT:USDT',
        venueSymbol: 'ETHUSDT',
        tickSize: 0.01,
        lotSize: 0.01,
      }),
    )
  })

  it('an unknown symbol is refused naming the closest valid one', async () => {
    const { subscription } = record(adapter(), { channel: 'ticker', symbols: ['BTC/USDX'] })
    const error = await subscription.ready.catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SubscriptionError)
    expect((error as SubscriptionError).hint).toContain('"BTC/USDT"')
  })

  it('a venue spelling is refused with the unified spelling to use', async () => {
    const { subscription, waitFor } = record(adapter(), { channel: 'ticker', symbols: ['BTCUSDT'] })
    const error = await subscription.ready.catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SubscriptionError)
    expect((error as SubscriptionError).hint).toContain('"BTC/USDT"')
    expect(await waitFor(isKind('error'))).toMatchObject({ code: 'SUBSCRIPTION_ERROR' })
  })
})

describe('createBybit against the simulator: order books', () => {
  it('the client book equals the true book at a sync point', async () => {
    const { subscription, events, waitFor } = record(adapter(), {
      channel: 'book',
      symbols: ['BTC/USDT:USDT'],
      market: 'linear',
      depth: 50,
    })
    await subscription.ready
    await waitFor((event): event is BookEvent => event.kind === 'book' && !event.isSnapshot)
    const book = await settledBook(events)
    expect({ bids: book.bids, asks: book.asks }).toEqual(trueLevels('linear', 'BTCUSDT', 50))
  })

  it('a book request without depth gets settings.bookDepth levels per side (default 50, as on every venue)', async () => {
    const { subscription, waitFor } = record(adapter({ bookDepth: 3 }), {
      channel: 'book',
      symbols: ['BTC/USDT'],
    })
    await subscription.ready
    const book = await waitFor((event): event is BookEvent => event.kind === 'book')
    expect(book.bids).toHaveLength(3)
    expect(book.asks).toHaveLength(3)
    expect(BYBIT_DEFAULT_BOOK_DEPTH).toBe(50)
  })

  it('a sequence gap resyncs only that symbol (resyncing → open), then matches the true book', async () => {
    const bybit = adapter()
    const eth = record(bybit, { channel: 'book', symbols: ['ETH/USDT'], depth: 50 })
    const btc = record(bybit, { channel: 'book', symbols: ['BTC/USDT'], depth: 50 })
    await Promise.all([eth.subscription.ready, btc.subscription.ready])
    await eth.waitFor((event): event is BookEvent => event.kind === 'book' && !event.isSnapshot)
    const btcBefore = btc.events.length
    sim.inject('bybit', { kind: 'sequenceGap', symbol: 'ETHUSDT' })
    const resyncing = await eth.waitFor(
      (event): event is Extract<MarketEvent, { kind: 'status' }> =>
        event.kind === 'status' && event.state === 'resyncing',
    )
    expect(resyncing).toMatchObject({ symbol: 'ETH/USDT', channel: 'book' })
    await eth.waitFor(
      (event): event is Extract<MarketEvent, { kind: 'status' }> =>
        event.kind === 'status' && event.state === 'open',
    )
    expect(eth.events.some((event) => event.kind === 'error' && event.code === 'SEQUENCE_GAP')).toBe(true)
    // The other symbol was not touched: only its book updates arrived meanwhile.
    expect(new Set(btc.events.slice(btcBefore).map((event) => event.kind))).toEqual(new Set(['book']))
    const book = await settledBook(eth.events)
    expect({ bids: book.bids, asks: book.asks }).toEqual(trueLevels('spot', 'ETHUSDT', 50))
    const btcBook = btc.events.filter(isKind('book')).at(-1)
    expect({ bids: btcBook?.bids, asks: btcBook?.asks }).toEqual(trueLevels('spot', 'BTCUSDT', 50))
  })

  it('a gap on the only topic of a connection resyncs it on a fresh connection, never applying out of order', async () => {
    const bybit = adapter()
    const book = record(bybit, { channel: 'book', symbols: ['SOL/USDT:USDT'], market: 'linear', depth: 50 })
    await book.subscription.ready
    await book.waitFor((event): event is BookEvent => event.kind === 'book' && !event.isSnapshot)
    sim.inject('bybit', { kind: 'sequenceGap', symbol: 'SOLUSDT' })
    await book.waitFor(
      (event): event is Extract<MarketEvent, { kind: 'status' }> =>
        event.kind === 'status' && event.state === 'open' && event.symbol === 'SOL/USDT:USDT',
    )
    const settled = await settledBook(book.events)
    expect({ bids: settled.bids, asks: settled.asks }).toEqual(trueLevels('linear', 'SOLUSDT', 50))
    // Sequence numbers only grow, and within a sync run by exactly one.
    const sequences = book.events
      .filter(isKind('book'))
      .map((event) => [event.isSnapshot, event.sequence ?? 0] as const)
    for (let index = 1; index < sequences.length; index++) {
      const [isSnapshot, sequence] = sequences[index] as readonly [boolean, number]
      if (!isSnapshot) expect(sequence).toBe((sequences[index - 1]?.[1] ?? 0) + 1)
    }
  })

  it('after a dropped connection the book resyncs and matches the true book', async () => {
    const { subscription, events, waitFor } = record(adapter(), {
      channel: 'book',
      symbols: ['SOL/USDT:USDT'],
      market: 'linear',
      depth: 50,
    })
    await subscription.ready
    await waitFor((event): event is BookEvent => event.kind === 'book' && !event.isSnapshot)
    sim.inject('bybit', { kind: 'drop', code: 1012, reason: 'restart' })
    await waitFor(
      (event): event is Extract<MarketEvent, { kind: 'status' }> =>
        event.kind === 'status' && event.state === 'reconnecting',
    )
    const reopened = events.length
    await waitFor(
      (event): event is BookEvent =>
        event.kind === 'book' && event.isSnapshot && events.indexOf(event) >= reopened,
    )
    const book = await settledBook(events)
    expect({ bids: book.bids, asks: book.asks }).toEqual(trueLevels('linear', 'SOLUSDT', 50))
  })
})

describe('createBybit against the simulator: faults', () => {
  it('malformed frames and unknown fields become error events; the stream goes on', async () => {
    const { subscription, events, waitFor } = record(adapter(), { channel: 'trades', symbols: ['BTC/USDT'] })
    await subscription.ready
    sim.inject('bybit', { kind: 'unknownFields', durationMs: 500 })
    sim.inject('bybit', { kind: 'malformed', count: 2 })
    await waitFor(
      (event): event is Extract<MarketEvent, { kind: 'error' }> =>
        event.kind === 'error' && event.code === 'DECODE_ERROR',
    )
    const count = events.filter(isKind('trade')).length
    await waitFor(
      (event): event is Extract<MarketEvent, { kind: 'trade' }> =>
        event.kind === 'trade' && events.filter(isKind('trade')).length > count + 2,
    )
  })

  it('a silent stall is detected by the missing pong; the client reconnects and resyncs the book', async () => {
    const { subscription, events, waitFor } = record(adapter({ pingIntervalMs: 100, pongTimeoutMs: 300 }), {
      channel: 'book',
      symbols: ['ETH/USDT:USDT'],
      market: 'linear',
      depth: 50,
    })
    await subscription.ready
    await waitFor((event): event is BookEvent => event.kind === 'book' && !event.isSnapshot)
    sim.inject('bybit', { kind: 'stall', durationMs: 5_000 })
    await waitFor(
      (event): event is Extract<MarketEvent, { kind: 'status' }> =>
        event.kind === 'status' && event.state === 'resyncing' && event.symbol === 'ETH/USDT:USDT',
    )
    const mark = events.length
    await waitFor(
      (event): event is BookEvent =>
        event.kind === 'book' && event.isSnapshot && events.indexOf(event) >= mark,
    )
    const book = await settledBook(events)
    expect({ bids: book.bids, asks: book.asks }).toEqual(trueLevels('linear', 'ETHUSDT', 50))
  })
})

describe('createBybit against the simulator: private stream', () => {
  const credentials = (secret: string = BYBIT_SIM_CREDENTIALS.secret) =>
    createCredentials({ apiKey: BYBIT_SIM_CREDENTIALS.apiKey, secret })

  it('authenticates and streams normalized orders and balances', async () => {
    const bybit = adapter({ credentials: credentials() })
    const orders = record(bybit, { channel: 'orders', symbols: [] })
    const balances = record(bybit, { channel: 'balances', symbols: [] })
    await Promise.all([orders.subscription.ready, balances.subscription.ready])
    const order = await orders.waitFor(isKind('order'))
    expect(order).toMatchObject({ venue: 'bybit', status: 'new', type: 'limit', filled: 0 })
    const balance = await balances.waitFor(isKind('balance'))
    expect(balance.asset.length).toBeGreaterThan(0)
  })

  it('an unreachable time endpoint does not block the login', async () => {
    sim.inject('bybit', { kind: 'rest', status: 503, count: 20, path: '/v5/market/time' })
    const balances = record(adapter({ credentials: credentials(), restRetries: 0 }), {
      channel: 'balances',
      symbols: [],
    })
    await balances.subscription.ready
    await balances.waitFor(isKind('balance'))
  })

  it('a wrong secret fails with an AuthenticationError that rules out the clock', async () => {
    const { subscription } = record(adapter({ credentials: credentials('wrong-secret') }), {
      channel: 'orders',
      symbols: [],
    })
    const error = await subscription.ready.catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AuthenticationError)
    const auth = error as AuthenticationError
    expect(auth.shortMessage).toContain('API key or signature')
    expect(Math.abs(auth.clockDriftMs ?? Number.NaN)).toBeLessThan(2_000)
  })

  it('a clock 60 s behind fails with the measured drift; adjustForClockDrift signs with Bybit time', async () => {
    const now = () => Date.now() - 60_000
    const { subscription } = record(adapter({ credentials: credentials(), now }), {
      channel: 'orders',
      symbols: [],
    })
    const error = await subscription.ready.catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AuthenticationError)
    const auth = error as AuthenticationError
    expect(auth.shortMessage).toContain('behind')
    expect(auth.clockDriftMs).toBeGreaterThan(-62_000)
    expect(auth.clockDriftMs).toBeLessThan(-58_000)
    const fixed = record(adapter({ credentials: credentials(), now, adjustForClockDrift: true }), {
      channel: 'balances',
      symbols: [],
    })
    await fixed.subscription.ready
    await fixed.waitFor(isKind('balance'))
    // `syncClock` and `clock`, as the other venues spell them, do the same.
    const aliased = record(adapter({ credentials: credentials(), clock: now, syncClock: true }), {
      channel: 'balances',
      symbols: [],
    })
    await aliased.subscription.ready
  })
})

describe('createBybit: recording', () => {
  it('onRaw gets every data frame and REST response, never auth frames', async () => {
    const raw: RawItem[] = []
    const bybit = adapter({
      credentials: createCredentials(BYBIT_SIM_CREDENTIALS),
      onRaw: (item) => raw.push(item),
    })
    const trades = record(bybit, { channel: 'trades', symbols: ['ETH/USDT'] })
    const orders = record(bybit, { channel: 'orders', symbols: [] })
    await Promise.all([trades.subscription.ready, orders.subscription.ready])
    await trades.waitFor(isKind('trade'))
    await orders.waitFor(isKind('order'))
    expect(raw.some((item) => item.kind === 'rest' && item.url.includes('/v5/market/instruments-info'))).toBe(
      true,
    )
    expect(
      raw.some((item) => item.kind === 'ws' && item.data.includes('"topic":"publicTrade.ETHUSDT"')),
    ).toBe(true)
    expect(raw.some((item) => item.data.includes('"op":"auth"'))).toBe(false)
  })
})

describe('createBybit: venue limits', () => {
  it('splits a 12-symbol spot subscription into requests of at most 10 args (Bybit spot refuses more)', async () => {
    await sim.close()
    const bases = ['BTC', 'ETH', 'SOL', 'XRP', 'ADA', 'DOGE', 'DOT', 'LTC', 'LINK', 'AVAX', 'ATOM', 'TRX']
    const instruments = bases.map((base) => ({
      venue: 'bybit' as const,
      market: 'spot' as const,
      symbol: `${base}/USDT`,
      venueSymbol: `${base}USDT`,
      base,
      quote: 'USDT',
      tickSize: 0.01,
      lotSize: 0.001,
      priceDecimals: 2,
      sizeDecimals: 3,
    }))
    sim = await startSimulator({ venues: ['bybit'], seed: 3, market: { instruments } })
    const raw: RawItem[] = []
    const tickers = record(adapter({ onRaw: (item) => raw.push(item) }), {
      channel: 'ticker',
      symbols: bases.map((base) => `${base}/USDT`),
    })
    await tickers.subscription.ready
    await tickers.waitFor(
      (event): event is Extract<MarketEvent, { kind: 'ticker' }> =>
        event.kind === 'ticker' && event.symbol === 'TRX/USDT',
    )
    const symbols = new Set(tickers.events.filter(isKind('ticker')).map((event) => event.symbol))
    expect(symbols.size).toBe(12)
  })
})

describe('createBybit: README claims', () => {
  it('the quick start streams a book from the simulator', async () => {
    const bybit = createBybit({ wsUrl: sim.venues.bybit.ws, restUrl: sim.venues.bybit.rest })
    adapters.push(bybit)
    const book = bybit.subscribe({ channel: 'book', symbols: ['BTC/USDT:USDT'], market: 'linear', depth: 10 })
    await book.ready
    const seen: string[] = []
    for await (const event of book) {
      if (event.kind === 'book') {
        expect(event.bids).toHaveLength(10)
        expect(event.sequence).toBeGreaterThan(1)
        break
      }
      if (event.kind === 'status') seen.push(event.state)
    }
    // Iterating after `await ready` still saw everything from the start.
    expect(seen).toEqual(['connecting', 'open'])
    await bybit.close()
  })

  it('different depths of one symbol use separate topics; depth above 1000 uses orderbook.1000', async () => {
    const raw: RawItem[] = []
    const bybit = adapter({ onRaw: (item) => raw.push(item) })
    const shallow = record(bybit, { channel: 'book', symbols: ['ETH/USDT'], depth: 10 })
    const deep = record(bybit, { channel: 'book', symbols: ['ETH/USDT'], depth: 100 })
    const deepest = record(bybit, { channel: 'book', symbols: ['SOL/USDT'], depth: 5_000 })
    await Promise.all([shallow.subscription.ready, deep.subscription.ready, deepest.subscription.ready])
    expect((await shallow.waitFor(isKind('book'))).bids).toHaveLength(10)
    expect((await deep.waitFor(isKind('book'))).bids).toHaveLength(100)
    expect((await deepest.waitFor(isKind('book'))).bids.length).toBeGreaterThan(200)
    expect(shallow.events.filter(isKind('book')).every((event) => event.bids.length <= 10)).toBe(true)
    const topics = new Set(
      raw.filter((item) => item.kind === 'ws').map((item) => /"topic":"([^"]+)"/.exec(item.data)?.[1]),
    )
    expect(topics).toEqual(
      new Set(['orderbook.50.ETHUSDT', 'orderbook.200.ETHUSDT', 'orderbook.1000.SOLUSDT']),
    )
  })

  it('refuses 1s candles, inverse markets, private channels without credentials and plain ws:// to remote hosts', async () => {
    const bybit = adapter()
    const failures = await Promise.all(
      [
        bybit.subscribe({ channel: 'candles', symbols: ['BTC/USDT'], interval: '1s' }),
        bybit.subscribe({ channel: 'ticker', symbols: ['BTC/USD:BTC'], market: 'inverse' }),
        bybit.subscribe({ channel: 'orders', symbols: [] }),
      ].map((subscription) => subscription.ready.catch((error: unknown) => error)),
    )
    expect(failures.map((error) => (error as { code?: string }).code)).toEqual([
      'SUBSCRIPTION_ERROR',
      'SUBSCRIPTION_ERROR',
      'CONFIG_ERROR',
    ])
    expect(() => createBybit({ wsUrl: 'ws://example.com' })).toThrow(/Refusing plain ws:\/\//)
    expect(() => createBybit({ wsUrl: 'ws://example.com', allowInsecure: true })).not.toThrow()
  })
})
