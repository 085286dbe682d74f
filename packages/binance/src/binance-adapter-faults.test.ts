import { generateKeyPairSync } from 'node:crypto'
import type { MarketEvent, VenueAdapter } from '@tickmesh/core'
import { createCredentials, marketEventSchema } from '@tickmesh/core'
import type { Simulator, VenueModuleOptions } from '@tickmesh/simulator'
import { startSimulator, venueFactory } from '@tickmesh/simulator'
import { afterEach, describe, expect, it } from 'vitest'
import { createBinance } from './binance-adapter'
import type { BinanceSettings } from './binance-settings'

let sim: Simulator | null = null
let adapter: VenueAdapter | null = null
const events: MarketEvent[] = []

async function start(extra: Partial<BinanceSettings> = {}, simulator?: Simulator): Promise<VenueAdapter> {
  sim = simulator ?? (await startSimulator({ venues: ['binance'], seed: 5, port: 0, timeScale: 0.01 }))
  adapter = createBinance({
    wsUrl: sim.venues.binance.ws,
    restUrl: sim.venues.binance.rest,
    reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
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

afterEach(async () => {
  await adapter?.close()
  adapter = null
  await sim?.close()
  sim = null
  events.length = 0
})

describe('createBinance: limits', () => {
  it('batches many streams into paced SUBSCRIBE requests the venue accepts (5 messages/s limit)', async () => {
    const binance = await start()
    const symbols = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT']
    const subscriptions = [
      binance.subscribe({ channel: 'ticker', symbols }),
      binance.subscribe({ channel: 'trades', symbols }),
      binance.subscribe({ channel: 'bbo', symbols }),
      binance.subscribe({ channel: 'candles', symbols, interval: '1m' }),
      binance.subscribe({ channel: 'candles', symbols, interval: '5m' }),
      binance.subscribe({ channel: 'candles', symbols, interval: '1h' }),
      binance.subscribe({ channel: 'book', symbols, depth: 5 }),
    ]
    await Promise.all(subscriptions.map((subscription) => subscription.ready))
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(events.some((event) => event.kind === 'status' && event.state === 'reconnecting')).toBe(false)
    expect(sim?.module('binance').connectionCount).toBe(1)
  })

  it('opens another connection when the streams per connection are used up', async () => {
    const binance = await start({ maxStreamsPerConnection: 2 })
    await binance.subscribe({ channel: 'trades', symbols: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'] }).ready
    expect(sim?.module('binance').connectionCount).toBe(2)
  })
})

describe('createBinance: faults', () => {
  it('turns malformed frames into error events and keeps streaming', async () => {
    const binance = await start()
    const received: MarketEvent[] = []
    await binance.subscribe(
      { channel: 'trades', symbols: ['BTC/USDT'] },
      { onEvent: (event) => received.push(event) },
    ).ready
    sim?.inject('binance', { kind: 'malformed', count: 4 })
    await until(() => events.find((event) => event.kind === 'error' && event.code === 'DECODE_ERROR'))
    const after = received.length
    await until(() => (received.slice(after).some((event) => event.kind === 'trade') ? true : undefined))
  })

  it('ignores unknown extra fields', async () => {
    const binance = await start()
    sim?.inject('binance', { kind: 'unknownFields', durationMs: 5_000 })
    const received: MarketEvent[] = []
    await binance.subscribe(
      { channel: 'bbo', symbols: ['BTC/USDT'] },
      { onEvent: (event) => received.push(event) },
    ).ready
    await until(() => received.find((event) => event.kind === 'bbo'))
    expect(received.some((event) => event.kind === 'error')).toBe(false)
  })

  it('reconnects a silent (stalled) connection after serverSilenceMs', async () => {
    const binance = await start({ serverSilenceMs: 400 })
    await binance.subscribe({ channel: 'bbo', symbols: ['BTC/USDT'] }).ready
    sim?.inject('binance', { kind: 'stall', durationMs: 3_000 })
    await until(() => events.find((event) => event.kind === 'status' && event.state === 'reconnecting'))
    const at = events.length
    await until(() => events.slice(at).find((event) => event.kind === 'bbo'))
  })
})

describe('createBinance: Ed25519 keys', () => {
  it('signs userDataStream.subscribe.signature with an Ed25519 key', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519')
    const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
    const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    const binanceVenue = venueFactory('binance')
    if (!binanceVenue) throw new Error('binance venue not registered')
    const simulator = await startSimulator({
      venues: ['binance'],
      seed: 5,
      port: 0,
      factories: {
        binance: (options: VenueModuleOptions) =>
          binanceVenue({ ...options, accounts: [{ apiKey: 'ed-key', publicKeyPem }] } as VenueModuleOptions),
      },
    })
    const binance = await start(
      { credentials: createCredentials({ apiKey: 'ed-key', privateKeyPem }) },
      simulator,
    )
    await binance.subscribe({ channel: 'balances', symbols: [] }).ready
    await until(() => events.find((event) => event.kind === 'balance'))
  })
})

describe('createBinance: trade continuity', () => {
  it('fills the trades missed during a reconnect from REST: ids consecutive and equal to the true trades', async () => {
    const rest: string[] = []
    const binance = await start({ onRaw: (item) => item.kind === 'rest' && rest.push(item.url) })
    const received: MarketEvent[] = []
    await binance.subscribe(
      { channel: 'trades', symbols: ['BTC/USDT'] },
      { onEvent: (event) => received.push(event) },
    ).ready
    const trades = () =>
      received.filter((event): event is Extract<MarketEvent, { kind: 'trade' }> => event.kind === 'trade')
    await until(() => (trades().length >= 2 ? true : undefined))
    // Trades happen while the client is away: 200 market ticks run synchronously as the connection
    // drops, so the reconnect cannot come first.
    let stepped = false
    binance.onEvent((event) => {
      if (event.kind === 'status' && event.state === 'reconnecting' && !stepped) {
        stepped = true
        sim?.market.step(200)
      }
    })
    sim?.inject('binance', { kind: 'drop', code: 1001 })
    await until(() => (stepped ? true : undefined))
    const countAtDrop = trades().length
    await until(() => (trades().length >= countAtDrop + 10 ? true : undefined), 15_000)
    const ids = trades().map((event) => Number(event.id))
    for (let index = 1; index < ids.length; index++) expect(ids[index]).toBe((ids[index - 1] as number) + 1)
    const truth = new Map(
      (sim?.trueTrades('binance', 'BTCUSDT', 'spot') ?? []).map((trade) => [trade.id, trade]),
    )
    for (const event of trades()) expect(truth.get(Number(event.id))?.side).toBe(event.side)
    expect(received.some((event) => event.kind === 'gap')).toBe(false)
    expect(rest.some((url) => url.includes('/api/v3/aggTrades?symbol=BTCUSDT&fromId='))).toBe(true)
    expect(ids.length).toBeGreaterThan(countAtDrop + 20)
  })
})
