import { WebSocket } from 'ws'
import type { ChaosVenueSpec } from '../../../../test-support/reliability/chaos-run'
import { ALL_FAULT_KINDS } from '../../../../test-support/reliability/chaos-run'
import { createCoinbase } from '../create-coinbase'

/** Coinbase under chaos: protocol pings every 500 ms; no pong within 700 ms is a stall (limit 1.2 s). */
export const coinbaseChaosSpec: ChaosVenueSpec = {
  venue: 'coinbase',
  symbol: 'BTC/USD',
  venueSymbol: 'BTC-USD',
  create: (settings) => createCoinbase(settings),
  settings: { keepAlive: { intervalMs: 500, pongTimeoutMs: 700 } },
  stallLimitMs: 1_200,
  faultKinds: ALL_FAULT_KINDS.filter((kind) => kind !== 'badChecksum'),
  // 8 connections per second per IP.
  connectionLimit: { count: 8, windowMs: 1_000 },
  simTradeId: (event) => Number(event.id),
  WebSocket,
}
