import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { ConfigError, type Market, VENUES, type VenueId } from '@tickmesh/core'
import { WebSocketServer } from 'ws'
import { createSimMarket, type SimMarketControl, type SimMarketOptions } from '../market/create-sim-market'
import { defaultInstruments } from '../market/default-instruments'
import { replyJson } from '../shared/json-reply'
import type {
  SimFault,
  SimInstrument,
  SimLevel,
  SimTrade,
  VenueModule,
  VenueModuleFactory,
  VenueModuleOptions,
} from '../sim-types'
import { venueFactory } from '../venues/index'
import type { PeriodicFault } from './fault-spec'

export interface StartSimulatorOptions {
  /** Venues to serve. Default: every venue whose module is registered. */
  venues?: readonly VenueId[]
  seed?: number
  /** Port of the first venue (the next ones get +1, +2, …); 0 = every venue on an ephemeral port. */
  port?: number
  host?: string
  /** Messages/s per stream (venue modules); undefined = each venue's real cadence. */
  rate?: number
  /** Run the market as fast as client sockets drain (benchmarks). */
  firehose?: boolean
  okxChecksums?: boolean
  /** Shrinks venue keepalive/lifetime timers (tests). */
  timeScale?: number
  /** Start the market's real-time ticks at once. Default true; false = drive it with `market.step()`. */
  autoStart?: boolean
  /** Market settings other than the seed (tick interval, volatility, …). */
  market?: Omit<SimMarketOptions, 'seed'>
  /** Faults injected periodically until close. */
  faults?: readonly PeriodicFault[]
  /** Venue modules to use instead of the registry (tests, custom venues); null = no module. */
  factories?: Partial<Record<VenueId, VenueModuleFactory | null>>
}

export interface VenueEndpoints {
  /** `ws://127.0.0.1:<port>`; the venue's real paths go under it. */
  ws: string
  /** `http://127.0.0.1:<port>`. */
  rest: string
}

export interface Simulator {
  /** Base URLs of the venues being served (only those; see `servedVenues`). */
  readonly venues: Record<VenueId, VenueEndpoints>
  readonly servedVenues: readonly VenueId[]
  readonly market: SimMarketControl
  inject(venue: VenueId, fault: SimFault): void
  /** The true book by venue spelling or unified symbol (`market` picks spot/linear for `BTCUSDT`). */
  trueBook(
    venue: VenueId,
    venueSymbol: string,
    depth?: number,
    market?: Market,
  ): { bids: SimLevel[]; asks: SimLevel[]; updateId: number }
  trueTrades(venue: VenueId, venueSymbol: string, market?: Market): readonly SimTrade[]
  module(venue: VenueId): VenueModule
  /** Terminates every socket, server and timer. */
  close(): Promise<void>
}

interface Mounted {
  venue: VenueId
  module: VenueModule
  server: Server
  wss: WebSocketServer
  sockets: Set<Socket>
}

/** Firehose: step the market while every client has less than this queued. */
const FIREHOSE_BACKLOG_BYTES = 1024 * 1024
const FIREHOSE_TICKS_PER_TURN = 10

/** Starts the simulated venues, each on its own loopback port. */
export async function startSimulator(options: StartSimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1'
  const firstPort = options.port ?? 0
  const factories = options.factories ?? {}
  const factoryOf = (venue: VenueId): VenueModuleFactory | null => {
    const custom = factories[venue]
    return custom === undefined ? venueFactory(venue) : custom
  }
  const requested = options.venues ?? VENUES.filter((venue) => factoryOf(venue) !== null)
  for (const venue of requested) {
    if (!(VENUES as readonly string[]).includes(venue)) {
      throw new ConfigError(`Unknown simulator venue "${venue}".`, { hint: `Venues: ${VENUES.join(', ')}.` })
    }
    if (factoryOf(venue) === null) {
      throw new ConfigError(`The ${venue} simulator module is not available in this build.`, {
        venue,
        hint: `Leave it out of venues; available: ${VENUES.filter((v) => factoryOf(v) !== null).join(', ') || 'none'}.`,
      })
    }
  }
  if (!Number.isInteger(firstPort) || firstPort < 0 || firstPort > 65_535) {
    throw new ConfigError('The simulator port must be an integer from 0 to 65535.', {
      details: { port: firstPort },
    })
  }
  const market = createSimMarket({
    instruments: defaultInstruments(requested),
    ...options.market,
    seed: options.seed ?? 1,
  })
  const moduleOptions: VenueModuleOptions = { market }
  if (options.rate !== undefined) moduleOptions.rate = options.rate
  if (options.firehose !== undefined) moduleOptions.firehose = options.firehose
  if (options.okxChecksums !== undefined) moduleOptions.okxChecksums = options.okxChecksums
  if (options.timeScale !== undefined) moduleOptions.timeScale = options.timeScale

  const mounted: Mounted[] = []
  const timers = new Set<ReturnType<typeof setInterval>>()
  let firehoseTimer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | null = null
  let closed = false

  const closeAll = async (): Promise<void> => {
    closed = true
    market.stop()
    for (const timer of timers) clearInterval(timer)
    timers.clear()
    if (firehoseTimer !== null) {
      clearTimeout(firehoseTimer as ReturnType<typeof setTimeout>)
      clearImmediate(firehoseTimer as ReturnType<typeof setImmediate>)
      firehoseTimer = null
    }
    await Promise.all(
      mounted.map(async (entry) => {
        try {
          entry.module.close()
        } catch {
          // A module failing to close must not keep the ports open.
        }
        for (const client of entry.wss.clients) client.terminate()
        entry.wss.close()
        for (const socket of entry.sockets) socket.destroy()
        await new Promise<void>((resolve) => entry.server.close(() => resolve()))
      }),
    )
  }

  try {
    for (let index = 0; index < requested.length; index++) {
      const venue = requested[index] as VenueId
      const module = (factoryOf(venue) as VenueModuleFactory)(moduleOptions)
      const entry = mountVenue(venue, module)
      mounted.push(entry)
      await listen(entry.server, firstPort === 0 ? 0 : firstPort + index, host)
    }
  } catch (error) {
    await closeAll()
    throw error
  }

  const venues = {} as Record<VenueId, VenueEndpoints>
  for (const entry of mounted) {
    const address = entry.server.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`
    venues[entry.venue] = { ws: `ws://${authority}`, rest: `http://${authority}` }
  }

  const moduleOf = (venue: VenueId): VenueModule => {
    const entry = mounted.find((candidate) => candidate.venue === venue)
    if (entry === undefined) {
      throw new ConfigError(`The simulator is not serving ${venue}.`, {
        venue,
        hint: `Served venues: ${mounted.map((m) => m.venue).join(', ') || 'none'}.`,
      })
    }
    return entry.module
  }
  const instrumentOf = (venue: VenueId, symbol: string, marketKind?: Market): SimInstrument => {
    moduleOf(venue)
    const instrument = market.instrument(venue, symbol, marketKind)
    if (instrument === undefined) {
      throw new ConfigError(`The simulator has no ${venue} instrument "${symbol}".`, {
        venue,
        hint: `Instruments: ${market
          .instruments(venue)
          .map((i) => `${i.venueSymbol} (${i.market})`)
          .join(', ')}.`,
      })
    }
    return instrument
  }

  const inject = (venue: VenueId, fault: SimFault): void => moduleOf(venue).inject(fault)

  for (const spec of options.faults ?? []) {
    moduleOf(spec.venue)
    const timer = setInterval(() => {
      try {
        inject(spec.venue, spec.fault)
      } catch (error) {
        console.error(`tickmesh simulator: injecting ${spec.fault.kind} into ${spec.venue} failed:`, error)
      }
    }, spec.everyMs)
    timers.add(timer)
  }

  if (options.autoStart ?? true) {
    if (options.firehose === true) {
      // As fast as the clients drain: step while clients are connected and none has a large backlog.
      const pump = (): void => {
        firehoseTimer = null
        if (closed) return
        let backlog = false
        let clients = 0
        for (const entry of mounted) {
          for (const client of entry.wss.clients) {
            clients++
            if (client.bufferedAmount > FIREHOSE_BACKLOG_BYTES) backlog = true
          }
        }
        // Nobody listening or someone behind: wait instead of spinning the CPU.
        if (backlog || clients === 0) {
          firehoseTimer = setTimeout(pump, 1)
          return
        }
        market.step(FIREHOSE_TICKS_PER_TURN)
        firehoseTimer = setImmediate(pump)
      }
      firehoseTimer = setImmediate(pump)
    } else {
      market.start()
    }
  }

  return {
    venues,
    servedVenues: mounted.map((entry) => entry.venue),
    market,
    inject,
    trueBook: (venue, symbol, depth, marketKind) =>
      market.book(instrumentOf(venue, symbol, marketKind), depth),
    trueTrades: (venue, symbol, marketKind) => market.trades(instrumentOf(venue, symbol, marketKind)),
    module: moduleOf,
    close: closeAll,
  }
}

function mountVenue(venue: VenueId, module: VenueModule): Mounted {
  const sockets = new Set<Socket>()
  const wss = new WebSocketServer({ noServer: true })
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = requestUrl(request)
    let handled = false
    try {
      handled = module.handleHttp(request, response, url)
    } catch (error) {
      replyJson(response, 500, { code: 500, msg: `simulator ${venue} module failed: ${String(error)}` })
      return
    }
    if (!handled) replyJson(response, 404, { code: 404, msg: 'Not Found', path: url.pathname })
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    const url = requestUrl(request)
    wss.handleUpgrade(request, socket, head, (client) => {
      // Client resets are normal in fault tests; the module sees them as 'close'.
      client.on('error', () => client.terminate())
      try {
        module.handleConnection(client, request, url)
      } catch (error) {
        client.close(1011, truncateReason(`simulator ${venue} module failed: ${String(error)}`))
      }
    })
  })
  return { venue, module, server, wss, sockets }
}

function requestUrl(request: IncomingMessage): URL {
  try {
    return new URL(request.url ?? '/', 'http://127.0.0.1')
  } catch {
    return new URL('http://127.0.0.1/')
  }
}

/** Close reasons are limited to 123 bytes. */
function truncateReason(reason: string): string {
  return Buffer.byteLength(reason) <= 123 ? reason : `${reason.slice(0, 100)}…`
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening)
      reject(
        new ConfigError(`The simulator could not listen on ${host}:${port}.`, {
          cause: error,
          details: { host, port },
          hint: 'Pick another --port, or 0 for ephemeral ports.',
        }),
      )
    }
    const onListening = (): void => {
      server.off('error', onError)
      resolve()
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(port, host)
  })
}
