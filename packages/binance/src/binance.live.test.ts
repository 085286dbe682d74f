import { describe, it } from 'vitest'
import { LIVE_TEST_TIMEOUT_MS, runLiveVenue } from '../../../test-support/live-venue'
import { BINANCE_WS_URL, createBinance } from './index'

// Live suite only (`pnpm test:live`): the real Binance with default URLs. Never in CI; offline it fails
// within seconds with a ConnectionTimeoutError.
describe('binance live', () => {
  it(
    'streams valid ticker, trades and uncrossed books for BTC, then closes cleanly',
    { timeout: LIVE_TEST_TIMEOUT_MS },
    () =>
      runLiveVenue({
        venue: 'binance',
        create: (settings) => createBinance(settings),
        wsUrl: BINANCE_WS_URL,
        markets: [
          { market: 'spot', symbol: 'BTC/USDT' },
          { market: 'linear', symbol: 'BTC/USDT:USDT' },
        ],
      }),
  )
})
