// @tickmesh/binance public API.

// --- decoding
export { decode, decodeBinance, decodeBinanceObject } from './decode/decode-binance'
export {
  isBinanceServerShutdown,
  parseBinanceControl,
  parseBinanceWsApiResponse,
} from './decode/binance-control'
export type { BinanceWsApiResponse } from './decode/binance-control'
export {
  parseBinanceDepthSnapshot,
  parseBinanceDepthUpdate,
  parseRawLevels,
} from './decode/parse-binance-depth'
export type { BinanceDepthSnapshot, BinanceDepthUpdate } from './decode/parse-binance-depth'
export { binanceFromUnified, toCandleInterval, unifiedFromBinance } from './binance-symbols'
