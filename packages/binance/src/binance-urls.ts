// Live endpoints. With only the base `wsUrl` / `restUrl` overridden (the simulator), futures use the
// same base: WebSocket paths under `/fstream`, REST under `/fapi/v1` (where they already are).

export const BINANCE_WS_URL = 'wss://stream.binance.com:9443'
export const BINANCE_REST_URL = 'https://api.binance.com'
export const BINANCE_FUTURES_WS_URL = 'wss://fstream.binance.com'
export const BINANCE_FUTURES_REST_URL = 'https://fapi.binance.com'
export const BINANCE_WS_API_URL = 'wss://ws-api.binance.com:443'

/** Path prefix of the futures streams when they share the spot base URL (the simulator). */
export const BINANCE_FUTURES_SHARED_PREFIX = '/fstream'

export function trimBase(url: string): string {
  return url.replace(/\/+$/, '')
}
