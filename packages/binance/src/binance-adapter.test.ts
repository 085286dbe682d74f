import type { MarketEvent, RawItem, VenueAdapter } from '@tickmesh/core'
import { AuthenticationError, createCredentials, marketEventSchema, SubscriptionError } from '@tickmesh/core'
import type { Simulator } from '@tickmesh/simulator'
import { priceOf, sizeOf, startSimulator } from '@tickmesh/simulator'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readFixtureFrame } from '../../../test-support/fixtures'
import { createBinance } from './binance-adapter'
import type { BinanceSettings } from './binance-settings'

// The simulator accepts the key of Binance's official HMAC signing example.
const vectors = JSON.parse(readFixtureFrame('binance', 'auth_test_vectors.json')) as {
  hmac_sha256_hex: { secretKey: string }
}
const signedExample = JSON.parse(
  readFixtureFrame('binance', 'doc_wsapi_signed_request_hmac_testvector.json'),
) as {
  params: { apiKey: string }
}
const API_KEY = signedExample.params.apiKey
const SECRET = vectors.hmac_sha256_hex.secretKey

let sim: Simulator
let adapter: VenueAdapter | null = null
const events: MarketEvent[] = []

function start(extra: Partial<BinanceSettings> = {}): VenueAdapter {
  adapter = createBinance({
    wsUrl: sim.venues.binance.ws,
    restUrl: sim.venues.binance.rest,
    reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
    snapshotRetry: { baseDelayMs: 20, maxDelayMs: 200 },
    ...extra,
  })
  adapter.onEvent((event) => {
    marketEventSchema.parse(event)
    events.push(event)
  })
  return adapter
}

async function until<T>(find: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const startedAt = Date.now()
  for (;;) {
    const value = find()
    if (value !== undefined) return value
    if (Date.now() - startedAt > timeoutMs) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** The simulator's true book, as numbers, at most `depth` levels. */
function trueBook(venueSymbol: string, depth: number, market: 'spot' | 'linear') {
  const instrument = sim.market.instrument('binance', venueSymbol, market)
  if (!instrument) throw new Error(`no instrument ${venueSymbol}`)
  const book = sim.trueBook('binance', venueSymbol, depth, market)
  const convert = (level: readonly [number, number]): [number, number] => [
    priceOf(instrument, level[0]),
    sizeOf(instrument, level[1]),
  ]
  return { bids: book.bids.map(convert), asks: book.asks.map(convert), updateId: book.updateId }
}

/** Stops the market, waits for the last diff to arrive, and checks the client's book equals the truth. */
async function expectBookMatchesTruth(
  symbol: string,
  venueSymbol: string,
  market: 'spot' | 'linear',
  depth: number,
): Promise<void> {
  sim.market.stop()
  const truth = trueBook(venueSymbol, depth, market)
  const last = await until(() => {
    const books = events.filter(
      (event) => event.kind === 'book' && event.symbol === symbol && event.market === market,
    )
    const latest = books[books.length - 1]
    return latest?.kind === 'book' && latest.sequence === truth.updateId ? latest : undefined
  })
  if (last.kind !== 'book') throw new Error('not a book')
  expect(last.bids).toEqual(truth.bids)
  expect(last.asks).toEqual(truth.asks)
  expect(last.bids).toHaveLength(depth)
  sim.market.start()
}

beforeEach(async () => {
  events.length = 0
  sim = await startSimulator({ venues: ['binance'], seed: 11, port: 0, timeScale: 0.01 })
})

afterEach(async () => {
  await adapter?.close()
  adapter = null
  await sim.close()
})

describe('createBinance against the simulator: public channels', () => {
  it.each([
    ['spot', 'BTC/USDT'],
    ['linear', 'BTC/USDT:USDT'],
  ] as const)('subscribes each channel on %s, receives it, and unsubscribes', async (market, symbol) => {
    const binance = start()
    for (const [channel, kind] of [
      ['ticker', 'ticker'],
      ['trades', 'trade'],
      ['bbo', 'bbo'],
      ['book', 'book'],
      ['candles', 'candle'],
    ] as const) {
      const received: MarketEvent[] = []
      const subscription = binance.subscribe(
        { channel, symbols: [symbol], market, depth: 5 },
        { onEvent: (event) => received.push(event) },
      )
      await subscription.ready
      const event = await until(() => received.find((candidate) => candidate.kind === kind))
      expect(event).toMatchObject({ venue: 'binance', market, symbol, venueSymbol: 'BTCUSDT' })
      await subscription.unsubscribe()
      const count = received.length
      await new Promise((resolve) => setTimeout(resolve, 150))
      expect(received.length).toBe(count)
    }
  })

  it('delivers events through the async iterator too', async () => {
    const binance = start()
    const subscription = binance.subscribe({ channel: 'trades', symbols: ['ETH/USDT'] })
    await subscription.ready
    for await (const event of subscription) {
      expect(event).toMatchObject({ kind: 'trade', symbol: 'ETH/USDT' })
      break
    }
    await subscription.unsubscribe()
  })

  it('highWaterMark bounds a slow iterator: the oldest events are dropped and an error event says how many', async () => {
    const binance = start({ highWaterMark: 3 })
    const subscription = binance.subscribe({ channel: 'trades', symbols: ['ETH/USDT'] })
    const iterator = subscription[Symbol.asyncIterator]()
    await subscription.ready
    await until(() => (events.filter((event) => event.kind === 'trade').length > 10 ? true : undefined))
    const first = await iterator.next()
    expect(first.value).toMatchObject({ kind: 'error' })
    const buffered: MarketEvent[] = []
    for (let index = 0; index < 3; index++) buffered.push((await iterator.next()).value as MarketEvent)
    expect(buffered.map((event) => event.kind)).toEqual(['trade', 'trade', 'trade'])
    await subscription.unsubscribe()
  })

  it('lists instruments with tick and lot sizes from exchangeInfo', async () => {
    const binance = start()
    const spot = await binance.instruments('spot')
    expect(spot.find((instrument) => instrument.symbol === 'BTC/USDT')).toMatchObject({
      venueSymbol: 'BTCUSDT',
      tickSize: 0.01,
      lotSize: 0.00001,
    })
    const linear = await binance.instruments('linear')
    expect(linear.map((instrument) => instrument.symbol)).toContain('BTC/USDT:USDT')
  })

  it('names the closest valid symbol for an unknown one, and the unified spelling for a venue one', async () => {
    const binance = start()
    const unknown = binance.subscribe({ channel: 'ticker', symbols: ['BTC/USDX'] })
    await expect(unknown.ready).rejects.toBeInstanceOf(SubscriptionError)
    await expect(unknown.ready).rejects.toMatchObject({ hint: 'Did you mean "BTC/USDT"?' })
    const venueSpelling = binance.subscribe({ channel: 'ticker', symbols: ['BTCUSDT'] })
    await expect(venueSpelling.ready).rejects.toMatchObject({
      code: 'SUBSCRIPTION_ERROR',
      hint: expect.stringContaining('"BTC/USDT"'),
    })
  })
})

describe('createBinance against the simulator: order books', () => {
  it('keeps the spot and linear books equal to the true book', async () => {
    const binance = start()
    await binance.subscribe({ channel: 'book', symbols: ['BTC/USDT'], depth: 10 }).ready
    await binance.subscribe({ channel: 'book', symbols: ['ETH/USDT:USDT'], market: 'linear', depth: 10 })
      .ready
    await until(() => events.find((event) => event.kind === 'book' && event.symbol === 'ETH/USDT:USDT'))
    await expectBookMatchesTruth('BTC/USDT', 'BTCUSDT', 'spot', 10)
    await expectBookMatchesTruth('ETH/USDT:USDT', 'ETHUSDT', 'linear', 10)
  })

  it('resyncs only the symbol with an injected gap (resyncing → open) and matches the true book again', async () => {
    const binance = start()
    await binance.subscribe({ channel: 'book', symbols: ['BTC/USDT', 'ETH/USDT'], depth: 10 }).ready
    await until(() => events.find((event) => event.kind === 'book' && event.symbol === 'ETH/USDT'))
    // Inject once a diff has been applied on top of the snapshot: a batch the REST snapshot already
    // covers is discarded by the procedure, so dropping it could not show as a gap.
    await until(() =>
      events.find((event) => event.kind === 'book' && event.symbol === 'BTC/USDT' && !event.isSnapshot),
    )
    sim.inject('binance', { kind: 'sequenceGap', symbol: 'BTC/USDT' })
    const resyncing = await until(() =>
      events.find((event) => event.kind === 'status' && event.state === 'resyncing'),
    )
    expect(resyncing).toMatchObject({ symbol: 'BTC/USDT', channel: 'book' })
    const index = events.indexOf(resyncing)
    await until(() =>
      events
        .slice(index)
        .find((event) => event.kind === 'status' && event.state === 'open' && event.symbol === 'BTC/USDT'),
    )
    expect(
      events
        .filter((event) => event.kind === 'status' && event.state === 'resyncing')
        .map((event) => event.kind === 'status' && event.symbol),
    ).toEqual(['BTC/USDT'])
    await expectBookMatchesTruth('BTC/USDT', 'BTCUSDT', 'spot', 10)
    await expectBookMatchesTruth('ETH/USDT', 'ETHUSDT', 'spot', 10)
  })

  it('reconnects after a dropped connection, replays subscriptions and resyncs the book', async () => {
    const binance = start()
    await binance.subscribe({ channel: 'book', symbols: ['SOL/USDT'], depth: 10 }).ready
    await until(() => events.find((event) => event.kind === 'book'))
    sim.inject('binance', { kind: 'drop', code: 1001 })
    await until(() => events.find((event) => event.kind === 'status' && event.state === 'reconnecting'))
    const reconnectAt = events.length
    await until(() =>
      events
        .slice(reconnectAt)
        .find((event) => event.kind === 'status' && event.state === 'open' && event.symbol === 'SOL/USDT'),
    )
    await expectBookMatchesTruth('SOL/USDT', 'SOLUSDT', 'spot', 10)
  })

  it('on serverShutdown opens the replacement before leaving: no resync, no missed trade, book still exact', async () => {
    const raw: RawItem[] = []
    const binance = start({ onRaw: (item) => raw.push(item) })
    const received: MarketEvent[] = []
    await binance.subscribe(
      { channel: 'trades', symbols: ['BTC/USDT'] },
      { onEvent: (event) => received.push(event) },
    ).ready
    await binance.subscribe({ channel: 'book', symbols: ['BTC/USDT'], depth: 10 }).ready
    await until(() => events.find((event) => event.kind === 'book'))
    sim.inject('binance', { kind: 'plannedDisconnect' })
    // The simulator closes the old connection 600 ms later (timeScale 0.01); by then the new one serves.
    const opens = () =>
      events.filter((event) => event.kind === 'status' && event.state === 'open' && event.symbol === null)
    const opensBefore = opens().length
    await until(() => (opens().length > opensBefore ? true : undefined))
    await until(() => (sim.module('binance').connectionCount === 1 ? true : undefined))
    const after = received.length
    await until(() =>
      received.slice(after).filter((event) => event.kind === 'trade').length >= 3 ? true : undefined,
    )
    const states = events
      .filter((event) => event.kind === 'status')
      .map((event) => event.kind === 'status' && event.state)
    expect(states).not.toContain('reconnecting')
    expect(states).not.toContain('resyncing')
    const ids = received
      .filter((event) => event.kind === 'trade')
      .map((event) => Number(event.kind === 'trade' && event.id))
    for (let index = 1; index < ids.length; index++) expect(ids[index]).toBe((ids[index - 1] as number) + 1)
    expect(raw.filter((item) => item.kind === 'rest' && item.url.includes('/depth')).length).toBe(1)
    await expectBookMatchesTruth('BTC/USDT', 'BTCUSDT', 'spot', 10)
  })

  it('retries a failing snapshot (REST 500) for that symbol only', async () => {
    const binance = start()
    sim.inject('binance', { kind: 'rest', status: 500, count: 5, path: '/api/v3/depth' })
    await binance.subscribe({ channel: 'book', symbols: ['BTC/USDT'], depth: 5 }).ready
    await until(() => events.find((event) => event.kind === 'error' && event.code === 'REST_ERROR'))
    await until(() => events.find((event) => event.kind === 'book'))
    await expectBookMatchesTruth('BTC/USDT', 'BTCUSDT', 'spot', 5)
  })

  it('passes every raw frame and REST response to onRaw', async () => {
    const raw: RawItem[] = []
    const binance = start({ onRaw: (item) => raw.push(item) })
    await binance.subscribe({ channel: 'book', symbols: ['BTC/USDT'], depth: 5 }).ready
    await until(() => events.find((event) => event.kind === 'book'))
    expect(raw.some((item) => item.kind === 'rest' && item.url.includes('/api/v3/exchangeInfo'))).toBe(true)
    expect(raw.some((item) => item.kind === 'rest' && item.url.includes('/api/v3/depth'))).toBe(true)
    expect(raw.some((item) => item.kind === 'ws' && item.data.includes('depthUpdate'))).toBe(true)
  })
})

describe('createBinance against the simulator: private stream', () => {
  it('authenticates with the HMAC key and streams orders and balances', async () => {
    const raw: RawItem[] = []
    const binance = start({
      credentials: createCredentials({ apiKey: API_KEY, secret: SECRET }),
      onRaw: (item) => raw.push(item),
    })
    const orders = binance.subscribe({ channel: 'orders', symbols: [] })
    const balances = binance.subscribe({ channel: 'balances', symbols: [] })
    await orders.ready
    await balances.ready
    const order = await until(() => events.find((event) => event.kind === 'order'))
    expect(order).toMatchObject({ symbol: 'BTC/USDT', side: 'buy', type: 'limit', status: 'new' })
    await until(() => events.find((event) => event.kind === 'balance' && event.asset === 'USDT'))
    // Auth frames never reach the recorder.
    expect(raw.some((item) => item.data.includes('signature') || item.data.includes(SECRET))).toBe(false)
  })

  it('says the secret is wrong', async () => {
    const binance = start({ credentials: createCredentials({ apiKey: API_KEY, secret: 'not-the-secret' }) })
    const subscription = binance.subscribe({ channel: 'orders', symbols: [] })
    await expect(subscription.ready).rejects.toBeInstanceOf(AuthenticationError)
    await expect(subscription.ready).rejects.toMatchObject({
      shortMessage: expect.stringContaining('secret'),
      clockDriftMs: null,
    })
  })

  it('says the API key is wrong', async () => {
    const binance = start({ credentials: createCredentials({ apiKey: 'unknown-key', secret: SECRET }) })
    await expect(binance.subscribe({ channel: 'balances', symbols: [] }).ready).rejects.toMatchObject({
      name: 'AuthenticationError',
      shortMessage: expect.stringContaining('API key'),
    })
  })

  it('says the clock drifted, with the measured drift, when clock sync is off', async () => {
    const binance = start({
      credentials: createCredentials({ apiKey: API_KEY, secret: SECRET }),
      clock: () => Date.now() - 30_000,
      syncClock: false,
    })
    const error = await binance
      .subscribe({ channel: 'orders', symbols: [] })
      .ready.catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AuthenticationError)
    const drift = (error as AuthenticationError).clockDriftMs
    expect(drift).not.toBeNull()
    expect(Math.abs((drift as number) - 30_000)).toBeLessThan(2_000)
    expect((error as AuthenticationError).shortMessage).toContain('behind')
  })

  it('signs with the venue clock, so a drifted local clock still authenticates', async () => {
    const binance = start({
      credentials: createCredentials({ apiKey: API_KEY, secret: SECRET }),
      clock: () => Date.now() - 30_000,
    })
    await binance.subscribe({ channel: 'orders', symbols: [] }).ready
    await until(() => events.find((event) => event.kind === 'order'))
  })
})
