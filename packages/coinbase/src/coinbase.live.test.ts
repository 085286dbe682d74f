import { describe, it } from 'vitest'
import { LIVE_TEST_TIMEOUT_MS, runLiveVenue } from '../../../test-support/live-venue'
import { COINBASE_WS_URL, createCoinbase } from './index'

// Live suite only (`pnpm test:live`): the real Coinbase with default URLs. Never in CI; offline it fails
// within seconds with a ConnectionTimeoutError.
describe('coinbase live', () => {
  it(
    'streams valid ticker, trades and uncrossed books for BTC, then closes cleanly',
    { timeout: LIVE_TEST_TIMEOUT_MS },
    () =>
      runLiveVenue({
        venue: 'coinbase',
        create: (settings) => createCoinbase(settings),
        wsUrl: COINBASE_WS_URL,
        markets: [
          // Coinbase Exchange is spot only.
          { market: 'spot', symbol: 'BTC/USD' },
        ],
      }),
  )
})
