import {
  AuthenticationError,
  type BookEvent,
  createCredentials,
  type MarketEvent,
  marketEventSchema,
  type StatusEvent,
  SubscriptionError,
} from '@tickmesh/core'
import { type Simulator, startSimulator } from '@tickmesh/simulator'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { OKX_SIM_CREDENTIALS } from '../../simulator/src/venues/okx/okx-sim-auth'
import { createOkx } from './okx-adapter'
import type { OkxSettings } from './okx-settings'
import { OKX_DEFAULT_BOOK_DEPTH } from './okx-settings'

let sim: Simulator | null = null
const adapters: { close(): Promise<void> }[] = []

afterEach(async () => {
  for (const adapter of adapters.splice(0)) await adapter.close()
  await sim?.close()
  sim = null
})

async function setup(options: Parameters<typeof startSimulator>[0] = {}, settings: OkxSettings = {}) {
  sim = await startSimulator({ venues: ['okx'], seed: 11, ...options })
  const adapter = createOkx({
    wsUrl: sim.venues.okx.ws,
    restUrl: sim.venues.okx.rest,
    reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
    ...settings,
  })
  adapters.push(adapter)
  return { sim, adapter }
}

/** Resolves with the first event matching `test` (rejects after a generous timeout). */
function nextEvent<T extends MarketEvent>(
  subscribe: (listener: (event: MarketEvent) => void) => () => void,
  test: (event: MarketEvent) => event is T,
  timeoutMs = 15_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let off: () => void = () => undefined
    const timer = setTimeout(() => {
      off()
      reject(new Error('timed out waiting for an event'))
    }, timeoutMs)
    off = subscribe((event) => {
      if (!test(event)) return
      clearTimeout(timer)
      off()
      resolve(event)
    })
  })
}

function toTrueLevels(levels: readonly (readonly [number, number])[], tickSize: number, baseLot: number) {
  return levels.map(([price, size]) => [Math.round(price / tickSize), Math.round(size / baseLot)])
}

describe('createOkx against the simulator', () => {
  it('streams ticker, trades, bbo and candles for spot and linear, each event valid, then unsubscribes', async () => {
    const { adapter } = await setup()
    const cases = [
      { channel: 'ticker', kind: 'ticker', market: 'spot', symbol: 'BTC/USDT' },
      { channel: 'trades', kind: 'trade', market: 'spot', symbol: 'ETH/USDT' },
      { channel: 'bbo', kind: 'bbo', market: 'linear', symbol: 'BTC/USDT:USDT' },
      { channel: 'bbo', kind: 'bbo', market: 'spot', symbol: 'SOL/USDT' },
      { channel: 'ticker', kind: 'ticker', market: 'linear', symbol: 'SOL/USDT:USDT' },
      { channel: 'trades', kind: 'trade', market: 'linear', symbol: 'BTC/USDT:USDT' },
      { channel: 'candles', kind: 'candle', market: 'spot', symbol: 'BTC/USDT' },
      { channel: 'candles', kind: 'candle', market: 'linear', symbol: 'ETH/USDT:USDT', interval: '1d' },
    ] as const
    for (const testCase of cases) {
      const subscription = adapter.subscribe({
        channel: testCase.channel,
        symbols: [testCase.symbol],
        market: testCase.market,
      })
      await subscription.ready
      const iterator = subscription[Symbol.asyncIterator]()
      let event: MarketEvent | undefined
      for (;;) {
        const next = await iterator.next()
        event = next.value as MarketEvent
        if (event.kind === testCase.kind) break
      }
      marketEventSchema.parse(event)
      expect(event).toMatchObject({ venue: 'okx', market: testCase.market, symbol: testCase.symbol })
      await subscription.unsubscribe()
      expect((await iterator.next()).done).toBe(true)
    }
  })

  it('lists instruments with tick and lot sizes in base units', async () => {
    const { adapter } = await setup({ autoStart: false })
    const spot = await adapter.instruments('spot')
    expect(spot).toContainEqual(
      expect.objectContaining({
        symbol: 'BTC/USDT',
        venueSymbol: 'BTC-USDT',
        tickSize: 0.1,
        lotSize: 0.00000001,
      }),
    )
    const linear = await adapter.instruments('linear')
    // BTC-USDT-SWAP: lot 0.01 contracts of 0.01 BTC.
    expect(linear).toContainEqual(
      expect.objectContaining({
        symbol: 'BTC/USDT:USDT',
        market: 'linear',
        lotSize: 0.0001,
        contractValue: 0.01,
      }),
    )
  })

  it('a SWAP trade amount is in the base currency (contracts × ctVal)', async () => {
    const { sim: simulator, adapter } = await setup()
    const subscription = adapter.subscribe({
      channel: 'trades',
      symbols: ['ETH/USDT:USDT'],
      market: 'linear',
    })
    const trade = await nextEvent(
      adapter.onEvent,
      (e): e is Extract<MarketEvent, { kind: 'trade' }> => e.kind === 'trade',
    )
    const truth = simulator
      .trueTrades('okx', 'ETH-USDT-SWAP')
      .find((candidate) => String(candidate.id) === trade.id)
    expect(truth).toBeDefined()
    // ETH-USDT-SWAP: lot 0.01 contracts, 0.1 ETH per contract.
    expect(trade.amount).toBeCloseTo(truth!.sizeLots * 0.01 * 0.1, 10)
    await subscription.unsubscribe()
  })

  it('the client book equals the true book, also after an injected gap and after a dropped connection', async () => {
    const { sim: simulator, adapter } = await setup({ autoStart: false })
    const statuses: StatusEvent[] = []
    const books: BookEvent[] = []
    const subscription = adapter.subscribe(
      { channel: 'book', symbols: ['BTC/USDT'], depth: 400 },
      {
        onStatus: (status) => statuses.push(status),
        onEvent: (event) => {
          if (event.kind === 'book') books.push(event)
        },
      },
    )
    const other = adapter.subscribe({ channel: 'book', symbols: ['ETH/USDT'] })
    await Promise.all([subscription.ready, other.ready])
    const instrument = (await adapter.instruments('spot')).find(
      (candidate) => candidate.symbol === 'BTC/USDT',
    )!

    async function expectInSync(label: string): Promise<void> {
      simulator.market.step(10)
      // Wait until the client has applied the increment that carries the true book's state.
      const deadline = Date.now() + 15_000
      for (;;) {
        const truth = simulator.trueBook('okx', 'BTC-USDT', 400)
        const last = books[books.length - 1]
        if (last) {
          const bids = toTrueLevels(last.bids, instrument.tickSize, instrument.lotSize)
          const asks = toTrueLevels(last.asks, instrument.tickSize, instrument.lotSize)
          if (
            JSON.stringify(bids) === JSON.stringify(truth.bids) &&
            JSON.stringify(asks) === JSON.stringify(truth.asks)
          )
            return
        }
        if (Date.now() > deadline) throw new Error(`book not in sync (${label})`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }

    let t0 = Date.now()
    await expectInSync('initial')
    console.log('initial', Date.now() - t0)
    t0 = Date.now()
    const otherBooksBefore = statuses.filter((status) => status.symbol === 'ETH/USDT').length
    simulator.inject('okx', { kind: 'sequenceGap', symbol: 'BTC-USDT' })
    simulator.market.step(3)
    await new Promise((resolve) => setTimeout(resolve, 300))
    simulator.market.step(3)
    await nextEvent(
      adapter.onEvent,
      (e): e is StatusEvent => e.kind === 'status' && e.state === 'open' && e.symbol === 'BTC/USDT',
    )
    expect(statuses.map((status) => [status.state, status.symbol])).toContainEqual(['resyncing', 'BTC/USDT'])
    // The other symbol was not touched by the resync.
    expect(statuses.filter((status) => status.symbol === 'ETH/USDT').length).toBe(otherBooksBefore)
    await expectInSync('after gap')
    console.log('gap', Date.now() - t0)
    t0 = Date.now()

    simulator.inject('okx', { kind: 'drop', code: 1001 })
    const td = Date.now()
    adapter.onEvent((e) => {
      if (e.kind === 'status' || e.kind === 'error')
        console.log(Date.now() - td, JSON.stringify(e).slice(0, 300))
    })
    await nextEvent(
      adapter.onEvent,
      (e): e is StatusEvent => e.kind === 'status' && e.state === 'open' && e.symbol === 'BTC/USDT',
    )
    await expectInSync('after reconnect')
    console.log('reconnect', Date.now() - t0)
    await subscription.unsubscribe()
    await other.unsubscribe()
  })

  it('a book request without depth gets 50 levels per side by default (as on every venue), or settings.bookDepth', async () => {
    const { sim: simulator, adapter } = await setup()
    const truth = simulator.trueBook('okx', 'BTC-USDT', 400)
    const byDefault = adapter.subscribe({ channel: 'book', symbols: ['BTC/USDT'] })
    await byDefault.ready
    for await (const event of byDefault) {
      if (event.kind !== 'book') continue
      expect(event.bids.length).toBe(Math.min(OKX_DEFAULT_BOOK_DEPTH, truth.bids.length))
      break
    }
    expect(truth.bids.length).toBeGreaterThan(OKX_DEFAULT_BOOK_DEPTH)
    const narrow = createOkx({
      wsUrl: simulator.venues.okx.ws,
      restUrl: simulator.venues.okx.rest,
      bookDepth: 3,
    })
    adapters.push(narrow)
    const small = narrow.subscribe({ channel: 'book', symbols: ['ETH/USDT'] })
    await small.ready
    for await (const event of small) {
      if (event.kind !== 'book') continue
      expect([event.bids.length, event.asks.length]).toEqual([3, 3])
      break
    }
  })

  it('verifies real checksums and resyncs on a bad one', async () => {
    const { sim: simulator, adapter } = await setup({ okxChecksums: true })
    const events: MarketEvent[] = []
    const subscription = adapter.subscribe(
      { channel: 'book', symbols: ['BTC/USDT:USDT'], market: 'linear', depth: 10 },
      { onEvent: (event) => events.push(event) },
    )
    await subscription.ready
    await nextEvent(adapter.onEvent, (e): e is BookEvent => e.kind === 'book')
    expect(events.some((event) => event.kind === 'error')).toBe(false)
    simulator.inject('okx', { kind: 'badChecksum', symbol: 'BTC-USDT-SWAP' })
    const error = await nextEvent(
      adapter.onEvent,
      (e): e is Extract<MarketEvent, { kind: 'error' }> => e.kind === 'error',
    )
    expect(error).toMatchObject({ code: 'CHECKSUM_MISMATCH', symbol: 'BTC/USDT:USDT' })
    await nextEvent(
      adapter.onEvent,
      (e): e is StatusEvent => e.kind === 'status' && e.state === 'open' && e.symbol === 'BTC/USDT:USDT',
    )
    await nextEvent(adapter.onEvent, (e): e is BookEvent => e.kind === 'book')
    const delivered = events.filter((event): event is BookEvent => event.kind === 'book')
    // The subscription asked for 10 levels; the adapter keeps 400 for the checksum.
    expect(delivered[delivered.length - 1]!.bids).toHaveLength(10)
    await subscription.unsubscribe()
  })

  it('backs off a second resync of the same book (each costs venue ops)', async () => {
    const { sim: simulator, adapter } = await setup()
    const statuses: StatusEvent[] = []
    adapter.onEvent((event) => {
      if (event.kind === 'status' && event.symbol === 'ETH/USDT') statuses.push(event)
    })
    const subscription = adapter.subscribe({ channel: 'book', symbols: ['ETH/USDT'], depth: 5 })
    await subscription.ready
    await nextEvent(adapter.onEvent, (e): e is BookEvent => e.kind === 'book')
    const reopened = () =>
      nextEvent(
        adapter.onEvent,
        (e): e is StatusEvent => e.kind === 'status' && e.state === 'open' && e.symbol === 'ETH/USDT',
      )
    simulator.inject('okx', { kind: 'badChecksum', symbol: 'ETH-USDT' })
    await reopened()
    simulator.inject('okx', { kind: 'badChecksum', symbol: 'ETH-USDT' })
    const second = await reopened()
    const secondResync = statuses.filter((status) => status.state === 'resyncing')[1]!
    // The first resync goes at once; the second waits at least 1 s.
    expect(second.receivedAt - secondResync.receivedAt).toBeGreaterThanOrEqual(950)
    await subscription.unsubscribe()
  })

  it('an unknown symbol is a SubscriptionError naming the closest one; a venue spelling is refused', async () => {
    const { adapter } = await setup()
    const unknown = adapter.subscribe({ channel: 'ticker', symbols: ['BTC/USDX'] })
    const error = await unknown.ready.catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(SubscriptionError)
    expect((error as SubscriptionError).hint).toContain('"BTC/USDT"')
    const venueSpelling = adapter.subscribe({ channel: 'ticker', symbols: ['BTC-USDT'] })
    const spelled = await venueSpelling.ready.catch((reason: unknown) => reason)
    expect(spelled).toBeInstanceOf(SubscriptionError)
    expect((spelled as SubscriptionError).hint).toContain('BTC/USDT')
  })

  it('an empty symbol list is refused; a venue error reply becomes an error event and the stream goes on', async () => {
    const { sim: simulator, adapter } = await setup()
    const empty = await adapter
      .subscribe({ channel: 'ticker', symbols: [] })
      .ready.catch((reason: unknown) => reason)
    expect(empty).toBeInstanceOf(SubscriptionError)
    const subscription = adapter.subscribe({ channel: 'ticker', symbols: ['BTC/USDT'] })
    await subscription.ready
    simulator.inject('okx', { kind: 'errorReply' })
    const error = await nextEvent(
      adapter.onEvent,
      (e): e is Extract<MarketEvent, { kind: 'error' }> => e.kind === 'error',
    )
    expect(error).toMatchObject({ code: 'CONNECTION_ERROR' })
    expect(error.message).toContain('50001')
    await nextEvent(adapter.onEvent, (e): e is MarketEvent => e.kind === 'ticker')
    await subscription.unsubscribe()
  })

  it('passes every raw ws frame and REST response to onRaw', async () => {
    const raw: string[] = []
    const { adapter } = await setup(
      {},
      { onRaw: (item) => raw.push(`${item.kind}:${item.data.slice(0, 30)}`) },
    )
    const subscription = adapter.subscribe({ channel: 'ticker', symbols: ['BTC/USDT'] })
    await subscription.ready
    await nextEvent(adapter.onEvent, (e): e is MarketEvent => e.kind === 'ticker')
    expect(raw.some((line) => line.startsWith('rest:{"code":"0"'))).toBe(true)
    expect(raw.some((line) => line.startsWith('ws:{"arg":{"channel":"tickers"'))).toBe(true)
    await subscription.unsubscribe()
  })
})

describe('createOkx connection upkeep', () => {
  it('plans books onto their own connections within maxBookChannelsPerConnection', async () => {
    const { sim: simulator, adapter } = await setup({ autoStart: false }, { maxBookChannelsPerConnection: 2 })
    const books = adapter.subscribe({ channel: 'book', symbols: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'] })
    const ticker = adapter.subscribe({ channel: 'ticker', symbols: ['BTC/USDT'] })
    await Promise.all([books.ready, ticker.ready])
    // Two books connections (2 + 1 channels) and one for the ticker.
    expect(simulator.module('okx').connectionCount).toBe(3)
    await books.unsubscribe()
    await ticker.unsubscribe()
  })

  it('pings after idle so the venue does not close the connection (OKX closes after 30 s silence)', async () => {
    // Venue idle close at 300 ms; the adapter pings after 100 ms of silence.
    const { sim: simulator, adapter } = await setup(
      { autoStart: false, timeScale: 0.01 },
      { pingAfterIdleMs: 100 },
    )
    const statuses: StatusEvent[] = []
    adapter.onEvent((event) => {
      if (event.kind === 'status') statuses.push(event)
    })
    const subscription = adapter.subscribe({ channel: 'ticker', symbols: ['BTC/USDT'] })
    await subscription.ready
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    expect(statuses.filter((status) => status.state === 'reconnecting')).toEqual([])
    expect(simulator.module('okx').connectionCount).toBe(1)
    await subscription.unsubscribe()
  })

  it('a malformed frame is a DECODE_ERROR event and the stream goes on', async () => {
    const { sim: simulator, adapter } = await setup()
    const subscription = adapter.subscribe({ channel: 'trades', symbols: ['BTC/USDT'] })
    await subscription.ready
    simulator.inject('okx', { kind: 'malformed', count: 2 })
    const error = await nextEvent(
      adapter.onEvent,
      (e): e is Extract<MarketEvent, { kind: 'error' }> => e.kind === 'error',
    )
    expect(error.code).toBe('DECODE_ERROR')
    expect(error.raw).not.toBeNull()
    await nextEvent(adapter.onEvent, (e): e is MarketEvent => e.kind === 'trade')
    await subscription.unsubscribe()
  })

  it('unknown extra fields from the venue are ignored', async () => {
    const { sim: simulator, adapter } = await setup()
    const events: MarketEvent[] = []
    const subscription = adapter.subscribe(
      { channel: 'ticker', symbols: ['BTC/USDT'] },
      { onEvent: (event) => events.push(event) },
    )
    await subscription.ready
    simulator.inject('okx', { kind: 'unknownFields', durationMs: 2_000 })
    const before = events.length
    await vi.waitFor(
      () => expect(events.slice(before).filter((event) => event.kind === 'ticker').length).toBeGreaterThan(2),
      {
        timeout: 10_000,
      },
    )
    expect(events.filter((event) => event.kind === 'error')).toEqual([])
    await subscription.unsubscribe()
  })

  it('a silent stall (no data, no pong) is detected by the ping timeout and the adapter reconnects', async () => {
    const { sim: simulator, adapter } = await setup({}, { pingAfterIdleMs: 150, pongTimeoutMs: 400 })
    const subscription = adapter.subscribe({ channel: 'ticker', symbols: ['ETH/USDT'] })
    await subscription.ready
    simulator.inject('okx', { kind: 'stall', durationMs: 10_000 })
    const reconnecting = await nextEvent(
      adapter.onEvent,
      (e): e is StatusEvent => e.kind === 'status' && e.state === 'reconnecting',
    )
    expect(reconnecting.url).toContain('/ws/v5/public')
    await nextEvent(adapter.onEvent, (e): e is StatusEvent => e.kind === 'status' && e.state === 'open')
    await nextEvent(adapter.onEvent, (e): e is MarketEvent => e.kind === 'ticker')
    await subscription.unsubscribe()
  })

  it('reconnects at once on the 64008 notice and resyncs the book', async () => {
    const { sim: simulator, adapter } = await setup({ timeScale: 0.05 })
    const statuses: StatusEvent[] = []
    adapter.onEvent((event) => {
      if (event.kind === 'status') statuses.push(event)
    })
    const subscription = adapter.subscribe({ channel: 'book', symbols: ['SOL/USDT'], depth: 5 })
    await subscription.ready
    await nextEvent(adapter.onEvent, (e): e is BookEvent => e.kind === 'book')
    simulator.inject('okx', { kind: 'plannedDisconnect' })
    await nextEvent(
      adapter.onEvent,
      (e): e is StatusEvent => e.kind === 'status' && e.state === 'open' && e.symbol === 'SOL/USDT',
    )
    expect(
      statuses.some((status) => status.state === 'reconnecting' && status.reason.includes('64008')),
    ).toBe(true)
    expect(statuses.some((status) => status.state === 'resyncing' && status.symbol === 'SOL/USDT')).toBe(true)
    await nextEvent(adapter.onEvent, (e): e is BookEvent => e.kind === 'book')
    await subscription.unsubscribe()
  })
})

describe('createOkx private stream', () => {
  const credentials = (secret: string = OKX_SIM_CREDENTIALS.secret) =>
    createCredentials({
      apiKey: OKX_SIM_CREDENTIALS.apiKey,
      secret,
      passphrase: OKX_SIM_CREDENTIALS.passphrase,
    })

  it('logs in and receives normalized orders and balances', async () => {
    const { sim: simulator, adapter } = await setup({ timeScale: 0.05 }, { credentials: credentials() })
    const orders = adapter.subscribe({ channel: 'orders', symbols: [] })
    const balances = adapter.subscribe({ channel: 'balances', symbols: [] })
    await Promise.all([orders.ready, balances.ready])
    // Both channels share one logged-in connection.
    expect(simulator.module('okx').connectionCount).toBe(1)
    const order = await nextEvent(
      adapter.onEvent,
      (e): e is Extract<MarketEvent, { kind: 'order' }> => e.kind === 'order',
    )
    marketEventSchema.parse(order)
    expect(order).toMatchObject({ venue: 'okx', symbol: 'BTC/USDT', side: 'buy', type: 'limit' })
    const balance = await nextEvent(
      adapter.onEvent,
      (e): e is Extract<MarketEvent, { kind: 'balance' }> => e.kind === 'balance',
    )
    expect(['USDT', 'BTC']).toContain(balance.asset)
  })

  it('logs in again after the private connection drops and the updates continue', async () => {
    const { sim: simulator, adapter } = await setup({ timeScale: 0.05 }, { credentials: credentials() })
    const balances = adapter.subscribe({ channel: 'balances', symbols: [] })
    await balances.ready
    await nextEvent(
      adapter.onEvent,
      (e): e is Extract<MarketEvent, { kind: 'balance' }> => e.kind === 'balance',
    )
    simulator.inject('okx', { kind: 'drop', code: 1011 })
    await nextEvent(
      adapter.onEvent,
      (e): e is StatusEvent => e.kind === 'status' && e.state === 'reconnecting',
    )
    await nextEvent(adapter.onEvent, (e): e is StatusEvent => e.kind === 'status' && e.state === 'open')
    await nextEvent(
      adapter.onEvent,
      (e): e is Extract<MarketEvent, { kind: 'balance' }> => e.kind === 'balance',
    )
  })

  it('an unknown key and a wrong passphrase are named; a refused login closes the private connection', async () => {
    const { sim: simulator, adapter } = await setup(
      {},
      {
        credentials: createCredentials({
          apiKey: 'nope',
          secret: 'x',
          passphrase: OKX_SIM_CREDENTIALS.passphrase,
        }),
      },
    )
    const unknownKey = await adapter
      .subscribe({ channel: 'orders', symbols: [] })
      .ready.catch((reason: unknown) => reason)
    expect((unknownKey as AuthenticationError).shortMessage).toContain('API key is unknown')
    const wrongPass = createOkx({
      wsUrl: simulator.venues.okx.ws,
      restUrl: simulator.venues.okx.rest,
      credentials: createCredentials({
        apiKey: OKX_SIM_CREDENTIALS.apiKey,
        secret: OKX_SIM_CREDENTIALS.secret,
        passphrase: 'wrong',
      }),
    })
    adapters.push(wrongPass)
    const passError = await wrongPass
      .subscribe({ channel: 'balances', symbols: [] })
      .ready.catch((reason: unknown) => reason)
    expect((passError as AuthenticationError).shortMessage).toContain('passphrase is wrong')
    const deadline = Date.now() + 5_000
    while (simulator.module('okx').connectionCount > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(simulator.module('okx').connectionCount).toBe(0)
  })

  it('onRaw never sees login traffic', async () => {
    const raw: string[] = []
    const { adapter } = await setup(
      { timeScale: 0.05 },
      { credentials: credentials(), onRaw: (item) => raw.push(item.data) },
    )
    await adapter.subscribe({ channel: 'balances', symbols: [] }).ready
    await nextEvent(
      adapter.onEvent,
      (e): e is Extract<MarketEvent, { kind: 'balance' }> => e.kind === 'balance',
    )
    expect(raw.some((data) => data.includes('"channel":"account"'))).toBe(true)
    expect(raw.some((data) => data.includes('login') || data.includes('sign'))).toBe(false)
  })

  it('a wrong secret is an AuthenticationError that blames the secret', async () => {
    const { adapter } = await setup({}, { credentials: credentials('not-the-secret') })
    const error = await adapter
      .subscribe({ channel: 'orders', symbols: [] })
      .ready.catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect((error as AuthenticationError).shortMessage).toContain('60007')
    expect((error as AuthenticationError).shortMessage).toContain('wrong secret')
  })

  it('a drifted local clock is corrected with the venue time, or reported with the measured drift', async () => {
    const drifted = () => Date.now() - 120_000
    const { adapter } = await setup({}, { credentials: credentials(), now: drifted })
    await adapter.subscribe({ channel: 'balances', symbols: [] }).ready
    await adapter.close()
    const strict = createOkx({
      wsUrl: sim!.venues.okx.ws,
      restUrl: sim!.venues.okx.rest,
      credentials: credentials(),
      // `clock` and `syncClock`, as Binance and Coinbase spell them, mean `now` and `useServerTime`.
      clock: drifted,
      syncClock: false,
    })
    adapters.push(strict)
    const error = await strict
      .subscribe({ channel: 'balances', symbols: [] })
      .ready.catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(AuthenticationError)
    const auth = error as AuthenticationError
    expect(auth.shortMessage).toContain('clock')
    expect(auth.clockDriftMs).toBeLessThan(-115_000)
    expect(auth.clockDriftMs).toBeGreaterThan(-125_000)
  })
})
