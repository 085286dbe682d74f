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
