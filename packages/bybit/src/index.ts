// @tickmesh/bybit public API.

// --- adapter
export { createBybit } from './create-bybit'
export { BYBIT_DEFAULT_BOOK_DEPTH, BYBIT_REST_URL, BYBIT_WS_URL } from './bybit-settings'
export type { BybitSettings } from './bybit-settings'
export { createBybitFrameProcessor } from './bybit-frame-processor'
export type { BybitFrameProcessor, BybitFrameProcessorOptions } from './bybit-frame-processor'

// --- decoding
export { decode, decodeBybit, topicFamily } from './decode/decode-bybit'
export { parseBybitBook } from './decode/decode-bybit-orderbook'
export type { BybitBookFrame } from './decode/decode-bybit-orderbook'
export { parseBybitTicker, mergeTicker } from './decode/decode-bybit-ticker'
export type { BybitTickerPatch } from './decode/decode-bybit-ticker'
export { isBybitPong, parseBybitControl, parseBybitReply } from './bybit-control'
export type { BybitReply } from './bybit-control'
export { BYBIT_INTERVALS, toUnifiedSymbol, unifiedInterval } from './bybit-symbols'
export { bybitSequenceRule } from './bybit-sequence-rule'

// --- private stream
export { bybitAuthSignature, buildBybitAuth } from './bybit-auth'
