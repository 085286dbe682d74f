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

// --- book sync and frame processing
export { createBinanceFrameProcessor } from './binance-frame-processor'
export type { BinanceFrameProcessor, BinanceFrameProcessorOptions } from './binance-frame-processor'
export { BinanceFuturesSequenceRule, binanceSpotSequenceRule } from './binance-sequence-rule'
export {
  BINANCE_FUTURES_REST_URL,
  BINANCE_FUTURES_SHARED_PREFIX,
  BINANCE_FUTURES_WS_URL,
  BINANCE_REST_URL,
  BINANCE_WS_API_URL,
  BINANCE_WS_URL,
} from './binance-urls'

// --- adapter
export { createBinance } from './binance-adapter'
export { BINANCE_DEFAULT_BOOK_DEPTH } from './binance-settings'
export type { BinanceSettings } from './binance-settings'
export { resolveBinanceEndpoints } from './binance-endpoints'
export type { BinanceEndpoints } from './binance-endpoints'
export { BinanceInstrumentCache, buildInstrumentTable, parseBinanceExchangeInfo } from './binance-instruments'
export type { BinanceInstrumentTable } from './binance-instruments'
export {
  binanceAuthError,
  binanceSignaturePayload,
  buildUserDataSubscribe,
  signBinanceParams,
} from './binance-auth'
