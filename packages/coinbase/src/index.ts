// @tickmesh/coinbase public API.

// --- decoding
export { decode, decodeCoinbase, decodeCoinbaseMessage } from './decode/decode-coinbase'
export { decodeCoinbaseBalance, decodeCoinbaseUserOrder, isUserMatch } from './decode/decode-coinbase-user'
export { CoinbaseOrderTracker } from './decode/coinbase-order-tracker'
export type { TrackedOrder } from './decode/coinbase-order-tracker'
export { parseCoinbaseL2Update, parseCoinbaseSnapshot } from './decode/parse-coinbase-book'
export type { BookParseResult, CoinbaseBookSnapshot, CoinbaseBookUpdate } from './decode/parse-coinbase-book'
export {
  coinbaseErrorText,
  parseCoinbaseControl,
  parseCoinbaseSubscriptions,
} from './decode/parse-coinbase-control'
export type { CoinbaseChannelEntry } from './decode/parse-coinbase-control'
export { parseCoinbaseTime } from './decode/parse-coinbase-time'
export { productIdFromUnified, unifiedFromProductId } from './decode/coinbase-symbol'

// --- adapter
export { createCoinbase } from './create-coinbase'
export type { CoinbaseSettings } from './coinbase-settings'
export { createCoinbaseFrameProcessor } from './coinbase-frame-processor'
export type { CoinbaseFrameProcessor, CoinbaseFrameProcessorOptions } from './coinbase-frame-processor'
export { CandleBuilder } from './candle-builder'
export { COINBASE_AUTH_WINDOW_MS, coinbaseAuthError, signCoinbaseSubscribe } from './coinbase-auth'
export type { CoinbaseAuthFields } from './coinbase-auth'
export {
  COINBASE_DEFAULT_BOOK_DEPTH,
  COINBASE_REST_URL,
  COINBASE_WS_URL,
  DEFAULT_BOOK_DEPTH,
} from './coinbase-defaults'
