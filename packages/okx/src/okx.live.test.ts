import { describe, it } from 'vitest'
import { LIVE_TEST_TIMEOUT_MS, runLiveVenue } from '../../../test-support/live-venue'
import { createOkx, OKX_WS_URL } from './index'

// Live suite only (`pnpm test:live`): the real OKX with default URLs. Never in CI; offline it fails
// within seconds with a ConnectionTimeoutError.
describe('okx live', () => {
  it(
    'streams valid ticker, trades and uncrossed books for BTC, then closes cleanly',
    { timeout: LIVE_TEST_TIMEOUT_MS },
    () =>
      runLiveVenue({
        venue: 'okx',
        create: (settings) => createOkx(settings),
        wsUrl: OKX_WS_URL,
        markets: [
          { market: 'spot', symbol: 'BTC/USDT' },
          { market: 'linear', symbol: 'BTC/USDT:USDT' },
        ],
      }),
  )
})
