// A third-party client written against the real venues (ccxt pro) with only its URLs pointed at the
// simulator. Used by the simulator's conformance test and by the benchmarks; not part of the public API
// (ccxt is a devDependency).
import type { VenueId } from '@tickmesh/core'
import * as ccxt from 'ccxt'
import { COINBASE_SIM_ACCOUNT } from '../venues/coinbase/coinbase-sim-auth'

export type ProExchange = InstanceType<typeof ccxt.pro.binance>

/** A ccxt pro client with only its URLs pointed at the simulator (or the producer); `signed` adds the sim's Coinbase account. */
export function ccxtClient(
  venue: VenueId,
  ws: string,
  rest: string,
  signed = false,
): { exchange: ProExchange; symbol: string } {
  const common = { enableRateLimit: false, timeout: 10_000 }
  switch (venue) {
    case 'binance':
      return {
        symbol: 'BTC/USDT',
        exchange: new ccxt.pro.binance({
          ...common,
          urls: { api: { public: `${rest}/api/v3`, ws: { spot: `${ws}/ws` } } },
          options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false },
        }),
      }
    case 'bybit':
      return {
        symbol: 'BTC/USDT',
        exchange: new ccxt.pro.bybit({
          ...common,
          urls: {
            api: {
              public: rest,
              spot: rest,
              ws: { public: { spot: `${ws}/v5/public/spot`, linear: `${ws}/v5/public/linear` } },
            },
          },
          options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false },
        }) as unknown as ProExchange,
      }
    case 'okx':
      return {
        symbol: 'BTC/USDT',
        exchange: new ccxt.pro.okx({
          ...common,
          urls: { api: { rest, ws: `${ws}/ws/v5` } },
          options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false },
        }) as unknown as ProExchange,
      }
    case 'coinbase':
      return {
        symbol: 'BTC/USD',
        exchange: new ccxt.pro.coinbaseexchange({
          ...common,
          urls: { api: { public: rest, private: rest, ws } },
          ...(signed
            ? {
                apiKey: COINBASE_SIM_ACCOUNT.apiKey,
                secret: COINBASE_SIM_ACCOUNT.secret,
                password: COINBASE_SIM_ACCOUNT.passphrase,
              }
            : {}),
          has: { fetchCurrencies: false },
        }) as unknown as ProExchange,
      }
  }
}
