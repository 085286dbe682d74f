// @tickmesh/bybit public API.

// --- decoding
export { decode, decodeBybit, topicFamily } from './decode/decode-bybit'
export { parseBybitBook } from './decode/decode-bybit-orderbook'
export type { BybitBookFrame } from './decode/decode-bybit-orderbook'
export { parseBybitTicker, mergeTicker } from './decode/decode-bybit-ticker'
export type { BybitTickerPatch } from './decode/decode-bybit-ticker'
export { isBybitPong, parseBybitControl, parseBybitReply } from './bybit-control'
export type { BybitReply } from './bybit-control'
export { BYBIT_INTERVALS, toUnifiedSymbol, unifiedInterval } from './bybit-symbols'
