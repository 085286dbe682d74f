import type { BookEvent, MarketEvent, VenueAdapter } from '@tickmesh/core'
import {
  AuthenticationError,
  ConfigError,
  createCredentials,
  marketEventSchema,
  SubscriptionError,
} from '@tickmesh/core'
import { type Simulator, startSimulator } from '@tickmesh/simulator'
import { afterEach, describe, expect, it } from 'vitest'
import type { CoinbaseSettings } from './coinbase-settings'
import { createCoinbase } from './create-coinbase'

// The API key the simulated Coinbase accepts (the simulator's COINBASE_SIM_ACCOUNT; the secret is the
// one of the derived test vector in the shared fixtures).
const COINBASE_SIM_ACCOUNT = {
  apiKey: 'tickmesh-sim-coinbase-key',
  secret: 'c2VjcmV0LWtleS1mb3ItdGVzdGluZw==',
  passphrase: 'tickmesh-sim-passphrase',
}

let sim: Simulator | null = null
let adapter: VenueAdapter | null = null

afterEach(async () => {
  await adapter?.close()
  adapter = null
  await sim?.close()
  sim = null
})

async function setup(options: { autoStart?: boolean } = {}, settings: CoinbaseSettings = {}) {
  sim = await startSimulator({
    venues: ['coinbase'],
    seed: 11,
    autoStart: options.autoStart ?? true,
    market: { tickIntervalMs: 20 },
  })
  adapter = createCoinbase({
    wsUrl: sim.venues.coinbase.ws,
    restUrl: sim.venues.coinbase.rest,
    reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
    ...settings,
  })
  return { sim, adapter }
}

/** Waits until `predicate` holds, checking every 20 ms (generous timeout for a loaded machine). */
async function until(predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

function toTrue(sim: Simulator, symbol: string, depth: number) {
  const instrument = sim.market.instrument('coinbase', symbol)!
  const book = sim.trueBook('coinbase', symbol, depth)
  const convert = (levels: readonly (readonly [number, number])[]) =>
    levels.map(([p, s]) => [
      Number((p * instrument.tickSize).toFixed(instrument.priceDecimals)),
      Number((s * instrument.lotSize).toFixed(instrument.sizeDecimals)),
    ])
  return { bids: convert(book.bids), asks: convert(book.asks) }
}

describe('createCoinbase against the simulator', () => {
  it('streams ticker and bbo events, then unsubscribes', async () => {
    const { adapter } = await setup()
    const events: MarketEvent[] = []
    const subscription = adapter.subscribe(
      { channel: 'ticker', symbols: ['BTC/USD'] },
      { onEvent: (e) => events.push(e) },
    )
    const bbo = adapter.subscribe({ channel: 'bbo', symbols: ['ETH/USD'] })
    await Promise.all([subscription.ready, bbo.ready])
    await until(() => events.some((e) => e.kind === 'ticker'))
    const ticker = events.find((e) => e.kind === 'ticker')!
    marketEventSchema.parse(ticker)
    expect(ticker).toMatchObject({
      venue: 'coinbase',
      market: 'spot',
      symbol: 'BTC/USD',
      venueSymbol: 'BTC-USD',
    })
    for await (const event of bbo) {
      if (event.kind !== 'bbo') continue
      expect(event.symbol).toBe('ETH/USD')
      expect(event.bidPrice!).toBeLessThan(event.askPrice!)
      break
    }
    await subscription.unsubscribe()
    await bbo.unsubscribe()
    const count = events.length
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(events.length).toBe(count)
  })

  it('streams trades with the taker side and candles built from them', async () => {
    const { adapter, sim } = await setup()
    const trades: MarketEvent[] = []
    const candles: MarketEvent[] = []
    const tradeSub = adapter.subscribe(
      { channel: 'trades', symbols: ['SOL/USD'] },
      { onEvent: (e) => trades.push(e) },
    )
    const candleSub = adapter.subscribe(
      { channel: 'candles', symbols: ['SOL/USD'], interval: '1s' },
      { onEvent: (e) => candles.push(e) },
    )
    await Promise.all([tradeSub.ready, candleSub.ready])
    await until(() => trades.filter((e) => e.kind === 'trade').length >= 5)
    await until(() => candles.some((e) => e.kind === 'candle' && e.closed))
    const truth = sim.trueTrades('coinbase', 'SOL-USD')
    for (const event of trades) {
      if (event.kind !== 'trade') continue
      const real = truth.find((t) => String(t.id) === event.id)!
      expect(event.side).toBe(real.side)
      expect(event.price).toBeCloseTo(real.priceTicks * 0.01, 8)
    }
    const closed = candles.find((e) => e.kind === 'candle' && e.closed)!
    if (closed.kind !== 'candle') throw new Error('not a candle')
    const inCandle = truth.filter((t) => t.time >= closed.openTime && t.time < closed.openTime + 1000)
    expect(closed.volume).toBeCloseTo(
      inCandle.reduce((sum, t) => sum + t.sizeLots * 0.001, 0),
      6,
    )
    expect(closed.interval).toBe('1s')
  })

  it('keeps the book equal to the true book, also after a dropped connection', async () => {
    const { adapter, sim } = await setup({ autoStart: false })
    const books: BookEvent[] = []
    const statuses: MarketEvent[] = []
    const subscription = adapter.subscribe(
      { channel: 'book', symbols: ['BTC/USD'], depth: 20 },
      {
        onEvent: (e) =>
          e.kind === 'book' ? books.push(e) : e.kind === 'status' ? statuses.push(e) : undefined,
      },
    )
    await subscription.ready
    await until(() => books.length > 0)
    const same = () => {
      const last = books[books.length - 1]
      const truth = toTrue(sim, 'BTC/USD', 20)
      return (
        last !== undefined &&
        JSON.stringify([last.bids, last.asks]) === JSON.stringify([truth.bids, truth.asks])
      )
    }
    await until(same)
    for (let i = 0; i < 5; i++) {
      sim.market.step(10)
      await until(same)
    }
    expect(books[books.length - 1]!.bids).toHaveLength(20)
    // A sequence gap on Coinbase loses matches; the book (level2, no sequence) stays exact.
    sim.inject('coinbase', { kind: 'sequenceGap', symbol: 'BTC/USD' })
    sim.market.step(40)
    await until(same)
    sim.inject('coinbase', { kind: 'drop', code: 4001 })
    await until(() =>
      statuses.some((e) => e.kind === 'status' && e.state === 'resyncing' && e.symbol === 'BTC/USD'),
    )
    sim.market.step(10)
    await until(() =>
      statuses.some((e) => e.kind === 'status' && e.state === 'open' && e.symbol === 'BTC/USD'),
    )
    sim.market.step(10)
    await until(same)
  })

  it('recovers from a silent stall: pong timeout, reconnect, fresh snapshot', async () => {
    const { adapter, sim } = await setup({}, { keepAlive: { intervalMs: 100, pongTimeoutMs: 300 } })
    const states: string[] = []
    let lastBook: BookEvent | null = null
    const subscription = adapter.subscribe(
      { channel: 'book', symbols: ['ETH/USD'], depth: 5 },
      {
        onEvent: (e) => {
          if (e.kind === 'book') lastBook = e
          if (e.kind === 'status') states.push(`${e.state}${e.symbol === null ? '' : `:${e.symbol}`}`)
        },
      },
    )
    await subscription.ready
    await until(() => lastBook !== null)
    sim.inject('coinbase', { kind: 'stall', durationMs: 3_000 })
    await until(() => states.includes('open:ETH/USD'))
    expect(states).toContain('resyncing:ETH/USD')
    const received = states.indexOf('open:ETH/USD')
    expect(states.slice(0, received).some((state) => state === 'reconnecting')).toBe(true)
  })

  it('keeps a shared topic for the remaining subscription after another unsubscribes', async () => {
    const { adapter } = await setup()
    const first: MarketEvent[] = []
    const second: MarketEvent[] = []
    const a = adapter.subscribe(
      { channel: 'trades', symbols: ['BTC/USD'] },
      { onEvent: (e) => first.push(e) },
    )
    const b = adapter.subscribe(
      { channel: 'trades', symbols: ['BTC/USD'] },
      { onEvent: (e) => second.push(e) },
    )
    await Promise.all([a.ready, b.ready])
    await a.unsubscribe()
    const firstCount = first.length
    const count = second.filter((e) => e.kind === 'trade').length
    await until(() => second.filter((e) => e.kind === 'trade').length > count + 3)
    expect(first.length).toBe(firstCount)
  })

  it('ignores unknown fields and survives malformed frames with error events', async () => {
    const { adapter, sim } = await setup({ autoStart: false })
    const errors: MarketEvent[] = []
    let last: BookEvent | null = null
    const subscription = adapter.subscribe(
      { channel: 'book', symbols: ['BTC/USD'], depth: 5 },
      {
        onEvent: (e) => {
          if (e.kind === 'book') last = e
          if (e.kind === 'error') errors.push(e)
        },
      },
    )
    await subscription.ready
    const same = () => {
      const truth = toTrue(sim, 'BTC/USD', 5)
      const book = last as BookEvent | null
      return (
        book !== null && JSON.stringify([book.bids, book.asks]) === JSON.stringify([truth.bids, truth.asks])
      )
    }
    await until(same)
    sim.inject('coinbase', { kind: 'unknownFields', durationMs: 60_000 })
    sim.inject('coinbase', { kind: 'malformed', count: 3 })
    sim.market.step(20)
    await until(() => errors.length >= 3)
    await until(same)
    expect(errors.every((e) => e.kind === 'error' && e.code === 'DECODE_ERROR')).toBe(true)
  })

  it('fills an injected trade gap from REST so the trade stream equals the true trades', async () => {
    const { adapter, sim } = await setup({ autoStart: false })
    const ids: number[] = []
    const statuses: string[] = []
    const subscription = adapter.subscribe(
      { channel: 'trades', symbols: ['BTC/USD'] },
      {
        onEvent: (e) => {
          if (e.kind === 'trade') ids.push(Number(e.id))
          if (e.kind === 'status' && e.symbol === 'BTC/USD') statuses.push(e.state)
          if (e.kind === 'gap') throw new Error('unexpected gap')
        },
      },
    )
    await subscription.ready
    const stepTrades = (count: number) => {
      const start = sim.trueTrades('coinbase', 'BTC-USD').length
      for (let i = 0; i < 10_000 && sim.trueTrades('coinbase', 'BTC-USD').length < start + count; i++)
        sim.market.step()
    }
    stepTrades(3)
    await until(() => ids.length >= 3)
    sim.inject('coinbase', { kind: 'sequenceGap', symbol: 'BTC/USD' })
    sim.inject('coinbase', { kind: 'sequenceGap', symbol: 'BTC/USD' })
    stepTrades(5)
    const truth = sim.trueTrades('coinbase', 'BTC-USD').map((t) => t.id)
    const last = truth[truth.length - 1]!
    await until(() => ids[ids.length - 1] === last)
    const first = ids[0]!
    expect(ids).toEqual(truth.filter((id) => id >= first))
    expect(statuses).toEqual(['resyncing', 'open'])
  })

  it('closes a candle on the clock when no next trade arrives', async () => {
    const { adapter, sim } = await setup({ autoStart: false }, { candleFlushMs: 50, candleCloseGraceMs: 0 })
    const candles: MarketEvent[] = []
    const subscription = adapter.subscribe(
      { channel: 'candles', symbols: ['ETH/USD'], interval: '1s' },
      { onEvent: (e) => (e.kind === 'candle' ? void candles.push(e) : undefined) },
    )
    await subscription.ready
    const start = sim.trueTrades('coinbase', 'ETH-USD').length
    for (let i = 0; i < 10_000 && sim.trueTrades('coinbase', 'ETH-USD').length < start + 2; i++)
      sim.market.step()
    await until(() => candles.length > 0)
    // No more trades: the timer closes the candle once its second is over.
    await until(() => candles.some((e) => e.kind === 'candle' && e.closed))
    const closed = candles.find((e) => e.kind === 'candle' && e.closed)
    expect(closed).toMatchObject({ interval: '1s', symbol: 'ETH/USD' })
  })

  it('sets nothing up when unsubscribed before it is ready, and rejects a bad depth', async () => {
    const { adapter, sim } = await setup()
    const events: MarketEvent[] = []
    const subscription = adapter.subscribe(
      { channel: 'ticker', symbols: ['BTC/USD'] },
      { onEvent: (e) => events.push(e) },
    )
    await subscription.unsubscribe()
    await subscription.ready
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(events.filter((e) => e.kind === 'ticker')).toEqual([])
    expect(sim.module('coinbase').connectionCount).toBe(0)
    const bad = adapter.subscribe({ channel: 'book', symbols: ['BTC/USD'], depth: 0 })
    await expect(bad.ready).rejects.toMatchObject({ code: 'CONFIG_ERROR' })
  })

  it('retries the products request through REST 5xx and 429 faults', async () => {
    const { adapter, sim } = await setup()
    sim.inject('coinbase', { kind: 'rest', status: 503, count: 1, path: '/products' })
    sim.inject('coinbase', { kind: 'rest', status: 429, count: 1, path: '/products' })
    const subscription = adapter.subscribe({ channel: 'ticker', symbols: ['BTC/USD'] })
    await subscription.ready
    for await (const event of subscription) if (event.kind === 'ticker') break
  })

  it('rejects an unknown symbol naming the closest one, and venue spellings', async () => {
    const { adapter } = await setup()
    const unknown = adapter.subscribe({ channel: 'ticker', symbols: ['BTC/USDD'] })
    await expect(unknown.ready).rejects.toThrow(SubscriptionError)
    await expect(unknown.ready).rejects.toMatchObject({ hint: 'Did you mean BTC/USD?' })
    const spelled = adapter.subscribe({ channel: 'ticker', symbols: ['BTC-USD'] })
    await expect(spelled.ready).rejects.toMatchObject({ hint: expect.stringContaining('"BTC/USD"') })
    const linear = adapter.subscribe({ channel: 'ticker', symbols: ['BTC/USD:USD'], market: 'linear' })
    await expect(linear.ready).rejects.toThrow(/no linear market/)
    const orders = adapter.subscribe({ channel: 'orders', symbols: ['BTC/USD'] })
    await expect(orders.ready).rejects.toMatchObject({
      code: 'CONFIG_ERROR',
      shortMessage: 'Private Coinbase channels need credentials.',
    })
    const instruments = await adapter.instruments()
    expect(instruments.map((i) => i.symbol).sort()).toEqual(['BTC/USD', 'ETH/USD', 'SOL/USD'])
    expect(instruments.find((i) => i.symbol === 'SOL/USD')).toMatchObject({ tickSize: 0.01, lotSize: 0.001 })
  })
})

describe('createCoinbase private channels', () => {
  const credentials = (secret = COINBASE_SIM_ACCOUNT.secret) =>
    createCredentials({
      apiKey: COINBASE_SIM_ACCOUNT.apiKey,
      secret,
      passphrase: COINBASE_SIM_ACCOUNT.passphrase,
    })

  it('authenticates and streams normalized orders and balances', async () => {
    const { adapter } = await setup({}, { credentials: credentials() })
    const events: MarketEvent[] = []
    const orders = adapter.subscribe(
      { channel: 'orders', symbols: ['BTC/USD'] },
      { onEvent: (e) => events.push(e) },
    )
    const balances = adapter.subscribe(
      { channel: 'balances', symbols: ['BTC/USD'] },
      { onEvent: (e) => events.push(e) },
    )
    await Promise.all([orders.ready, balances.ready])
    await until(() => events.some((e) => e.kind === 'order' && e.status === 'filled'))
    await until(() => events.some((e) => e.kind === 'balance'))
    const filled = events.find((e) => e.kind === 'order' && e.status === 'filled')!
    marketEventSchema.parse(filled)
    if (filled.kind !== 'order') throw new Error('not an order')
    expect(filled.filled).toBe(filled.amount)
    expect(filled.averagePrice).toBe(filled.price)
  })

  it('keeps an authenticated level2 book equal to the true book', async () => {
    const { adapter, sim } = await setup(
      { autoStart: false },
      { credentials: credentials(), authenticatedBook: true },
    )
    let last: BookEvent | null = null
    const subscription = adapter.subscribe(
      { channel: 'book', symbols: ['SOL/USD'], depth: 10 },
      {
        onEvent: (e) => {
          if (e.kind === 'book') last = e
        },
      },
    )
    await subscription.ready
    const same = () => {
      const truth = toTrue(sim, 'SOL/USD', 10)
      const book = last as BookEvent | null
      return (
        book !== null && JSON.stringify([book.bids, book.asks]) === JSON.stringify([truth.bids, truth.asks])
      )
    }
    await until(same)
    sim.market.step(20)
    await until(same)
  })

  it('says the secret is wrong', async () => {
    const { adapter } = await setup({}, { credentials: credentials(Buffer.from('wrong').toString('base64')) })
    const orders = adapter.subscribe({ channel: 'orders', symbols: ['BTC/USD'] })
    const error = await orders.ready.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect((error as AuthenticationError).shortMessage).toBe(
      'Coinbase rejected the API credentials: wrong secret (signature).',
    )
    expect(Math.abs((error as AuthenticationError).clockDriftMs!)).toBeLessThan(5_000)
  })

  it('says the passphrase is wrong, and never records outbound auth frames', async () => {
    const raw: string[] = []
    const { adapter } = await setup(
      {},
      {
        credentials: createCredentials({
          apiKey: COINBASE_SIM_ACCOUNT.apiKey,
          secret: COINBASE_SIM_ACCOUNT.secret,
          passphrase: 'nope',
        }),
        onRaw: (item) => raw.push(`${item.kind} ${item.data}`),
      },
    )
    const orders = adapter.subscribe({ channel: 'orders', symbols: ['BTC/USD'] })
    const error = (await orders.ready.catch((e: unknown) => e)) as AuthenticationError
    expect(error.shortMessage).toBe('Coinbase rejected the API credentials: wrong passphrase.')
    expect(raw.some((line) => line.startsWith('rest '))).toBe(true)
    expect(raw.some((line) => line.startsWith('ws '))).toBe(true)
    expect(raw.some((line) => line.includes('signature') || line.includes('nope'))).toBe(false)
  })

  it('says the clock drifted, with the measured drift', async () => {
    const { adapter } = await setup(
      {},
      { credentials: credentials(), syncClock: false, clock: () => Date.now() - 120_000 },
    )
    const orders = adapter.subscribe({ channel: 'orders', symbols: ['BTC/USD'] })
    const error = (await orders.ready.catch((e: unknown) => e)) as AuthenticationError
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error.shortMessage).toMatch(/local clock is -1[12]\d\.\d s off/)
    expect(error.clockDriftMs!).toBeLessThan(-110_000)
    expect(error.clockDriftMs!).toBeGreaterThan(-130_000)
  })
})

describe('createCoinbase settings', () => {
  it('refuses plain ws:// or http:// (REST too) to a non-loopback host unless allowInsecure', () => {
    expect(() => createCoinbase({ wsUrl: 'ws://proxy.example' })).toThrow(ConfigError)
    expect(() => createCoinbase({ restUrl: 'http://proxy.example' })).toThrow(/Refusing plain http:\/\//)
    expect(() => createCoinbase({ restUrl: 'wss://proxy.example' })).toThrow(ConfigError)
    const allowed = createCoinbase({
      wsUrl: 'ws://proxy.example',
      restUrl: 'http://proxy.example',
      allowInsecure: true,
    })
    return allowed.close()
  })
})
