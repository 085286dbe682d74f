// The simulated Binance venue module (see binance-venue.ts for the paths it serves).
export type { BinanceSimAccount } from './binance-auth'
export { BINANCE_SIM_ACCOUNT, binanceSignaturePayload, verifyBinanceRequest } from './binance-auth'
export type { BinanceVenueOptions } from './binance-venue'
export { BINANCE_FUTURES_WS_PREFIX, createBinanceVenue } from './binance-venue'
