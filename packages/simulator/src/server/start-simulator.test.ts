import { createServer, type Server } from 'node:http'
import type { VenueId } from '@tickmesh/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import { ConnectionSet } from '../shared/connection-set'
import { replyJson } from '../shared/json-reply'
import type { SimFault, VenueModule, VenueModuleFactory, VenueModuleOptions } from '../sim-types'
import { registeredVenues } from '../venues/index'
import { type Simulator, startSimulator } from './start-simulator'

/** A minimal venue module: greets each connection with its URL and answers GET /time. */
function fakeVenue(
  venue: VenueId,
  injected: SimFault[],
  seenOptions: VenueModuleOptions[] = [],
): VenueModuleFactory {
  return (options) => {
    seenOptions.push(options)
    const connections = new ConnectionSet()
    const module: VenueModule = {
      venue,
      handleConnection(socket, _request, url) {
        const outbound = connections.attach(socket)
        outbound.send(JSON.stringify({ venue, path: url.pathname, query: url.search }))
        socket.on('message', (data) => outbound.send(String(data)))
      },
      handleHttp(_request, response, url) {
        if (url.pathname !== '/time') return false
        replyJson(response, 200, { venue, serverTime: options.market.now() })
        return true
      },
      inject(fault) {
        injected.push(fault)
        connections.applyFault(fault)
      },
      get sentFrames() {
        return connections.sentFrames
      },
      get connectionCount() {
        return connections.size
      },
      close() {
        connections.closeAll()
      },
    }
    return module
  }
}

function handleCounts(): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1
  return counts
}

function firstMessage(socket: WebSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once('message', (data) => resolve(String(data)))
    socket.once('error', reject)
  })
}

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function start(options: Parameters<typeof startSimulator>[0]): Promise<Simulator> {
  const simulator = await startSimulator(options)
  cleanups.push(() => simulator.close())
  return simulator
}

function client(url: string): WebSocket {
  const socket = new WebSocket(url)
  socket.on('error', () => {})
  cleanups.push(() => socket.terminate())
  return socket
}

describe('startSimulator', () => {
  it('serves each venue on its own loopback port: REST through the module, JSON 404 otherwise, WebSocket with the parsed URL', async () => {
    const injected: SimFault[] = []
    const simulator = await start({
      venues: ['binance', 'okx'],
      factories: { binance: fakeVenue('binance', injected), okx: fakeVenue('okx', injected) },
      autoStart: false,
    })
    expect(simulator.servedVenues).toEqual(['binance', 'okx'])
    const binance = simulator.venues.binance
    const okx = simulator.venues.okx
    expect(binance.ws).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/)
    expect(binance.rest).toBe(binance.ws.replace('ws://', 'http://'))
    expect(okx.rest).not.toBe(binance.rest)

    const time = await fetch(`${okx.rest}/time`)
    expect(time.status).toBe(200)
    expect(await time.json()).toMatchObject({ venue: 'okx' })
    const missing = await fetch(`${binance.rest}/nope?x=1`)
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toContain('application/json')
    expect(await missing.json()).toEqual({ code: 404, msg: 'Not Found', path: '/nope' })

    const socket = client(`${binance.ws}/stream?streams=btcusdt@trade`)
    expect(JSON.parse(await firstMessage(socket))).toEqual({
      venue: 'binance',
      path: '/stream',
      query: '?streams=btcusdt@trade',
    })
    await vi.waitFor(() => expect(simulator.module('binance').connectionCount).toBe(1))
    expect(simulator.module('binance').sentFrames).toBe(1)
  })

  it('passes the options to the modules, routes faults, and answers true books and trades', async () => {
    const injected: SimFault[] = []
    const seen: VenueModuleOptions[] = []
    const simulator = await start({
      venues: ['bybit'],
      factories: { bybit: fakeVenue('bybit', injected, seen) },
      autoStart: false,
      seed: 9,
      rate: 5,
      okxChecksums: true,
      timeScale: 0.01,
    })
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ rate: 5, okxChecksums: true, timeScale: 0.01 })
    expect(seen[0]?.market).toBe(simulator.market)
    expect(simulator.market.seed).toBe(9)
    expect(simulator.market.instruments('binance')).toEqual([])

    simulator.inject('bybit', { kind: 'sequenceGap', symbol: 'BTCUSDT' })
    expect(injected).toEqual([{ kind: 'sequenceGap', symbol: 'BTCUSDT' }])
    expect(() => simulator.inject('okx', { kind: 'halfOpen' })).toThrow(/not serving okx/)

    simulator.market.step(200)
    const spot = simulator.trueBook('bybit', 'BTCUSDT', 10)
    const linear = simulator.trueBook('bybit', 'BTCUSDT', 10, 'linear')
    expect(spot.bids).toHaveLength(10)
    expect(simulator.trueBook('bybit', 'BTC/USDT:USDT', 10)).toEqual(linear)
    expect(linear).not.toEqual(spot)
    const trades = simulator.trueTrades('bybit', 'ETHUSDT')
    expect(trades.length).toBeGreaterThan(0)
    expect(trades[0]?.instrument.venueSymbol).toBe('ETHUSDT')
    expect(() => simulator.trueBook('bybit', 'DOGEUSDT')).toThrow(/no bybit instrument "DOGEUSDT"/)
  })

  it('applies connection faults through the shared sender (drop with a code, halfOpen without a close frame)', async () => {
    const injected: SimFault[] = []
    const simulator = await start({
      venues: ['coinbase'],
      factories: { coinbase: fakeVenue('coinbase', injected) },
      autoStart: false,
    })
    const first = client(simulator.venues.coinbase.ws)
    await firstMessage(first)
    const closed = new Promise<number>((resolve) => first.once('close', (code) => resolve(code)))
    simulator.inject('coinbase', { kind: 'drop', code: 4004, reason: 'bye' })
    expect(await closed).toBe(4004)

    const second = client(simulator.venues.coinbase.ws)
    await firstMessage(second)
    const reset = new Promise<number>((resolve) => second.once('close', (code) => resolve(code)))
    simulator.inject('coinbase', { kind: 'halfOpen' })
    expect(await reset).toBe(1006)
  })

  it('injects periodic faults until close', async () => {
    const injected: SimFault[] = []
    const simulator = await start({
      venues: ['okx'],
      factories: { okx: fakeVenue('okx', injected) },
      autoStart: false,
      faults: [{ venue: 'okx', fault: { kind: 'errorReply' }, everyMs: 10 }],
    })
    await vi.waitFor(() => expect(injected.length).toBeGreaterThanOrEqual(2), { timeout: 10_000 })
    await simulator.close()
    const count = injected.length
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(injected).toHaveLength(count)
  })

  it('runs the market in real time by default, and as fast as clients drain in firehose mode', async () => {
    const realTime = await start({
      venues: ['binance'],
      factories: { binance: fakeVenue('binance', []) },
      market: { tickIntervalMs: 5 },
    })
    await vi.waitFor(() => expect(realTime.market.tickCount).toBeGreaterThan(2), { timeout: 10_000 })
    const firehose = await start({
      venues: ['binance'],
      factories: { binance: fakeVenue('binance', []) },
      firehose: true,
    })
    const consumer = client(`${firehose.venues.binance.ws}/ws`)
    await firstMessage(consumer)
    await vi.waitFor(() => expect(firehose.market.tickCount).toBeGreaterThan(500), { timeout: 20_000 })
    expect(firehose.market.running).toBe(false)
  })

  it('leaves no server, socket or timer behind after close()', async () => {
    const before = handleCounts()
    const simulator = await startSimulator({
      venues: ['binance', 'bybit'],
      factories: { binance: fakeVenue('binance', []), bybit: fakeVenue('bybit', []) },
      faults: [{ venue: 'bybit', fault: { kind: 'errorReply' }, everyMs: 1_000 }],
    })
    const socket = new WebSocket(`${simulator.venues.binance.ws}/ws`)
    socket.on('error', () => {})
    await firstMessage(socket)
    const keepAlive = await fetch(`${simulator.venues.bybit.rest}/time`)
    await keepAlive.text()
    const socketClosed = new Promise((resolve) => socket.once('close', resolve))
    await simulator.close()
    await socketClosed
    await vi.waitFor(
      () => {
        const after = handleCounts()
        for (const name of ['TCPServerWrap', 'TCPSocketWrap', 'Timeout'])
          expect(after[name] ?? 0).toBeLessThanOrEqual(before[name] ?? 0)
      },
      { timeout: 10_000 },
    )
  })

  it('reports a busy port as a ConfigError and releases what it opened', async () => {
    const blocker: Server = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())))
    const address = blocker.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    await expect(
      startSimulator({ venues: ['binance'], factories: { binance: fakeVenue('binance', []) }, port }),
    ).rejects.toThrow(/could not listen on 127\.0\.0\.1:\d+/)
  })

  it('skips venues without a module by default and refuses one named explicitly', async () => {
    const factories = { binance: fakeVenue('binance', []), bybit: null, okx: null, coinbase: null }
    const simulator = await start({ factories, autoStart: false })
    expect(simulator.servedVenues).toEqual(['binance'])
    await expect(startSimulator({ venues: ['binance', 'okx'], factories })).rejects.toThrow(
      /okx simulator module is not available/,
    )
  })

  it('starts every registered venue module and answers 404 JSON for unknown paths', async () => {
    const venues = registeredVenues()
    if (venues.length === 0) return
    const simulator = await start({ venues, autoStart: false, timeScale: 0.01 })
    for (const venue of venues) {
      const response = await fetch(`${simulator.venues[venue].rest}/tickmesh-unknown-path`)
      expect(response.status).toBe(404)
      await response.text()
    }
  })
})
