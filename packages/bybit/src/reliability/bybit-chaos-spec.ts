import { WebSocket } from 'ws'
import type { ChaosVenueSpec } from '../../../../test-support/reliability/chaos-run'
import { ALL_FAULT_KINDS } from '../../../../test-support/reliability/chaos-run'
import { createBybit } from '../create-bybit'

/** Bybit spot trade ids as the simulator prints them: 2280000000000000000 + the true id. */
const SPOT_ID_BASE = 2_280_000_000_000_000_000n

/** Bybit under chaos: a ping every 500 ms; no pong within 700 ms is a stall (limit 1.2 s). */
export const bybitChaosSpec: ChaosVenueSpec = {
  venue: 'bybit',
  symbol: 'BTC/USDT',
  venueSymbol: 'BTCUSDT',
  create: (settings) => createBybit(settings),
  settings: {
    pingIntervalMs: 500,
    pongTimeoutMs: 700,
    ackTimeoutMs: 2_000,
    idle: { minMs: 3_000, maxMs: 10_000 },
  },
  stallLimitMs: 1_200,
  faultKinds: ALL_FAULT_KINDS.filter((kind) => kind !== 'badChecksum'),
  // 500 connections per 5 minutes.
  connectionLimit: { count: 500, windowMs: 300_000 },
  simTradeId: (event) => {
    try {
      return Number(BigInt(event.id) - SPOT_ID_BASE)
    } catch {
      return null
    }
  },
  WebSocket,
}
