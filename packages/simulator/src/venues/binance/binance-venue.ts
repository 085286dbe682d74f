import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Market } from '@tickmesh/core'
import type { WebSocket } from 'ws'
import { ConnectionSet, RestFaultGate, scaledMs } from '../../shared/index'
import type { SimFault, VenueModule, VenueModuleOptions } from '../../sim-types'
import type { BinanceSimAccount } from './binance-auth'
import { BINANCE_SIM_ACCOUNT } from './binance-auth'
import { BinanceMarketConnection } from './binance-market-connection'
import { handleBinanceRest } from './binance-rest'
import { BinanceStreamHub } from './binance-stream-hub'
import type { BinanceStream } from './binance-streams'
import { BinanceWsApiConnection } from './binance-ws-api-connection'

export interface BinanceVenueOptions extends VenueModuleOptions {
  /** API keys the WebSocket API accepts (default: `BINANCE_SIM_ACCOUNT`, the official HMAC example key). */
  accounts?: readonly BinanceSimAccount[]
  /** Period of the synthetic private order lifecycle (default 1 000 ms). */
  userDataIntervalMs?: number
}

/** Path prefix under which the one base URL serves the USDⓈ-M futures streams (`fstream` in reality). */
export const BINANCE_FUTURES_WS_PREFIX = '/fstream'

const REAL = {
  pingIntervalMs: 20_000,
  pongTimeoutMs: 60_000,
  lifetimeMs: 24 * 3_600_000,
  /** Time between `serverShutdown` and the close; the venue announces it ahead of maintenance. */
  shutdownGraceMs: 60_000,
}

/**
 * The simulated Binance: spot streams on `/ws`, `/ws/<stream>`, `/stream?streams=…`; USDⓈ-M futures
 * on the same paths under `/fstream`; the WebSocket API on `/ws-api/v3`; REST on `/api/v3/*` and
 * `/fapi/v1/*`.
 */
export function createBinanceVenue(options: BinanceVenueOptions): VenueModule {
  const market = options.market
  const hub = new BinanceStreamHub({
    market,
    ...(options.rate === undefined ? {} : { rate: options.rate }),
    ...(options.firehose === undefined ? {} : { firehose: options.firehose }),
  })
  const connections = new ConnectionSet()
  const marketConnections = new Set<BinanceMarketConnection>()
  const gate = new RestFaultGate({
    errorBody: (status) =>
      status === 429
        ? { code: -1003, msg: 'Too many requests; current limit of IP is 6000 requests per minute.' }
        : { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' },
  })
  const accounts = options.accounts ?? [BINANCE_SIM_ACCOUNT]
  const timeScale = options.timeScale
  let errorReplies = 0
  const takeErrorReply = (): boolean => {
    if (errorReplies === 0) return false
    errorReplies--
    return true
  }

  function openMarketConnection(socket: WebSocket, marketKind: Market, path: string, url: URL): void {
    const combined = path.startsWith('/stream')
    let names: string[] = []
    if (combined) names = (url.searchParams.get('streams') ?? '').split('/').filter((name) => name.length > 0)
    else if (path.startsWith('/ws/'))
      names = path
        .slice(4)
        .split('/')
        .filter((name) => name.length > 0)
    else if (path !== '/ws') {
      socket.close(1008, 'Not found')
      return
    }
    // Binance accepts a connection whose URL names an unknown stream (ccxt opens `/ws/0`) and simply
    // sends nothing for it; SUBSCRIBE is where invalid names are refused.
    const streams: BinanceStream[] = []
    for (const name of names) {
      const stream = hub.parse(name, marketKind)
      if (stream) streams.push(stream)
    }
    const outbound = connections.attach(socket)
    const connection = new BinanceMarketConnection(
      outbound,
      hub,
      {
        market: marketKind,
        combined,
        pingIntervalMs: scaledMs(REAL.pingIntervalMs, timeScale),
        pongTimeoutMs: scaledMs(REAL.pongTimeoutMs, timeScale),
        lifetimeMs: scaledMs(REAL.lifetimeMs, timeScale),
        maxStreams: 1024,
        maxMessagesPerSecond: 5,
        countPongs: (timeScale ?? 1) >= 1,
        takeErrorReply,
      },
      streams,
    )
    marketConnections.add(connection)
    socket.once('close', () => marketConnections.delete(connection))
  }

  return {
    venue: 'binance',
    handleConnection(socket: WebSocket, _request: IncomingMessage, url: URL): void {
      const path = url.pathname
      if (path === '/ws-api/v3') {
        const outbound = connections.attach(socket)
        new BinanceWsApiConnection(outbound, {
          market,
          accounts,
          pingIntervalMs: scaledMs(REAL.pingIntervalMs, timeScale),
          pongTimeoutMs: scaledMs(REAL.pongTimeoutMs, timeScale),
          userDataIntervalMs: options.userDataIntervalMs ?? 1_000,
          takeErrorReply,
        })
        return
      }
      if (path.startsWith(`${BINANCE_FUTURES_WS_PREFIX}/`)) {
        openMarketConnection(socket, 'linear', path.slice(BINANCE_FUTURES_WS_PREFIX.length), url)
        return
      }
      openMarketConnection(socket, 'spot', path, url)
    },
    handleHttp(request: IncomingMessage, response: ServerResponse, url: URL): boolean {
      if (!/^\/(api\/v3|fapi\/v1)\//.test(url.pathname)) return false
      if (gate.intercept(request, response, url)) return true
      return handleBinanceRest(market, (kind) => hub.instruments(kind), request, response, url)
    },
    inject(fault: SimFault): void {
      if (connections.applyFault(fault)) return
      switch (fault.kind) {
        case 'errorReply':
          errorReplies++
          return
        case 'sequenceGap':
          hub.injectGap(fault.symbol)
          return
        case 'rest':
          gate.arm(fault)
          return
        case 'plannedDisconnect': {
          const graceMs = scaledMs(REAL.shutdownGraceMs, timeScale)
          for (const connection of marketConnections)
            connection.announceShutdown(Math.round(market.now()), graceMs)
          return
        }
        default:
          // badChecksum: Binance depth streams carry no checksum.
          return
      }
    },
    get sentFrames(): number {
      return connections.sentFrames
    },
    get connectionCount(): number {
      return connections.size
    },
    close(): void {
      hub.close()
      gate.close()
      connections.closeAll()
    },
  }
}
