import { WebSocket } from 'ws'
import type { ChaosVenueSpec } from '../../../../test-support/reliability/chaos-run'
import { ALL_FAULT_KINDS } from '../../../../test-support/reliability/chaos-run'
import { createOkx } from '../okx-adapter'

/** OKX under chaos (real CRC32 checksums on): `ping` after 500 ms idle; no pong within 700 ms is a stall. */
export const okxChaosSpec: ChaosVenueSpec = {
  venue: 'okx',
  symbol: 'BTC/USDT',
  venueSymbol: 'BTC-USDT',
  create: (settings) => createOkx(settings),
  settings: { pingAfterIdleMs: 500, pongTimeoutMs: 700 },
  stallLimitMs: 1_200,
  faultKinds: ALL_FAULT_KINDS,
  // 3 new connections per second per IP.
  connectionLimit: { count: 3, windowMs: 1_000 },
  simTradeId: (event) => Number(event.id),
  simOptions: { okxChecksums: true },
  WebSocket,
}
