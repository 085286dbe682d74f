import { WebSocket } from 'ws'
import type { ChaosVenueSpec } from '../../../../test-support/reliability/chaos-run'
import { ALL_FAULT_KINDS } from '../../../../test-support/reliability/chaos-run'
import { createBinance } from '../binance-adapter'

/** Binance under chaos: server pings every second at the simulator's time scale; 1.5 s of silence is a stall. */
export const binanceChaosSpec: ChaosVenueSpec = {
  venue: 'binance',
  symbol: 'BTC/USDT',
  venueSymbol: 'BTCUSDT',
  create: (settings) => createBinance(settings),
  settings: { serverSilenceMs: 1_500, snapshotRetry: { baseDelayMs: 100, maxDelayMs: 2_000 } },
  stallLimitMs: 1_500,
  faultKinds: ALL_FAULT_KINDS.filter((kind) => kind !== 'badChecksum'),
  // 300 connections per 5 minutes per IP.
  connectionLimit: { count: 300, windowMs: 300_000 },
  simTradeId: (event) => Number(event.id),
  WebSocket,
}
