import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Market, VenueId } from '@tickmesh/core'
import type { WebSocket } from 'ws'

// The contract between the simulator's shared market engine/server (market/, server/) and each
// venue's protocol module (venues/<venue>/). Prices and sizes are integers of ticks and lots, so the
// true book has no float drift; venue modules format them with the instrument's precision.

export interface SimInstrument {
  venue: VenueId
  market: Market
  /** Unified symbol (`BTC/USDT`, `BTC/USDT:USDT`). */
  symbol: string
  /** Venue spelling (`BTCUSDT`, `BTC-USDT-SWAP`, `BTC-USD`). */
  venueSymbol: string
  base: string
  quote: string
  /** Price of one tick and size of one lot, and the decimals to print them with. */
  tickSize: number
  lotSize: number
  priceDecimals: number
  sizeDecimals: number
  /** Base currency per lot-size unit of a contract (OKX swaps: 0.01 BTC per contract). Default 1. */
  contractValue?: number
}

/** One price level in ticks/lots. */
export type SimLevel = readonly [priceTicks: number, sizeLots: number]

/** A change to one instrument's true book: new absolute sizes, 0 = removed. */
export interface SimBookChange {
  instrument: SimInstrument
  bids: readonly SimLevel[]
  asks: readonly SimLevel[]
  /** The book's update counter after this change (+1 per change). */
  updateId: number
  time: number
}

export interface SimTrade {
  instrument: SimInstrument
  /** Per-instrument trade id, increasing by 1. */
  id: number
  priceTicks: number
  sizeLots: number
  /** Taker side. */
  side: 'buy' | 'sell'
  time: number
}

export interface SimStats24h {
  openTicks: number
  highTicks: number
  lowTicks: number
  lastTicks: number
  /** Base volume in lots and quote volume in quote currency. */
  baseVolumeLots: number
  quoteVolume: number
}

/** The latent market every venue quotes around. Deterministic for a seed. */
export interface SimMarket {
  readonly seed: number
  /** Simulated wall clock in ms (real time by default). */
  now(): number
  instruments(venue: VenueId): readonly SimInstrument[]
  /**
   * By venue spelling or unified symbol. Binance and Bybit spell spot and linear alike (`BTCUSDT`):
   * pass `market` (or the unified symbol `BTC/USDT:USDT`) for the perpetual; spot wins otherwise.
   */
  instrument(venue: VenueId, venueSymbol: string, market?: Market): SimInstrument | undefined
  /** The true book, best first, at most `depth` levels per side. */
  book(instrument: SimInstrument, depth?: number): { bids: SimLevel[]; asks: SimLevel[]; updateId: number }
  /** The true trade list (bounded to the most recent `tradeHistoryLimit`, default 100 000). */
  trades(instrument: SimInstrument): readonly SimTrade[]
  stats24h(instrument: SimInstrument): SimStats24h
  onBook(listener: (change: SimBookChange) => void): () => void
  onTrade(listener: (trade: SimTrade) => void): () => void
}

/** Faults the simulator injects on demand (programmatic API and `--faults`). */
export type SimFault =
  | { kind: 'drop'; code?: number; reason?: string }
  | { kind: 'stall'; durationMs: number }
  | { kind: 'halfOpen' }
  | { kind: 'malformed'; count?: number }
  | { kind: 'oversized'; bytes?: number }
  | { kind: 'unknownFields'; durationMs?: number }
  | { kind: 'errorReply' }
  | { kind: 'sequenceGap'; symbol?: string }
  | { kind: 'badChecksum'; symbol?: string }
  | { kind: 'rest'; status: 429 | 500 | 502 | 503 | 'timeout'; count?: number; path?: string }
  | { kind: 'plannedDisconnect' }
  | { kind: 'slowConsumer' }

export type SimFaultKind = SimFault['kind']

export interface VenueModuleOptions {
  market: SimMarket
  /** Messages/s per stream for rate mode; undefined = the venue's real cadence. */
  rate?: number
  /** Send as fast as sockets drain (benchmarks); every frame is counted in `sentFrames`. */
  firehose?: boolean
  /** OKX: send real CRC32 checksums instead of 0. */
  okxChecksums?: boolean
  /** Shrinks keepalive/lifetime timers for tests (e.g. Binance ping every 20 s → 200 ms). */
  timeScale?: number
}

/** A venue's protocol module, mounted by the shared server on its own port. */
export interface VenueModule {
  readonly venue: VenueId
  /** A WebSocket upgraded on `path` (with query string). */
  handleConnection(socket: WebSocket, request: IncomingMessage, url: URL): void
  /** A REST request; returns false when the path is not the venue's (the server answers 404). */
  handleHttp(request: IncomingMessage, response: ServerResponse, url: URL): boolean
  inject(fault: SimFault): void
  /** Frames sent since start, per connection kind (firehose proof). */
  readonly sentFrames: number
  /** Open client connections. */
  readonly connectionCount: number
  close(): void
}

export type VenueModuleFactory = (options: VenueModuleOptions) => VenueModule
