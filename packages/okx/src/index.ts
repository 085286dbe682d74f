// @tickmesh/okx public API.

// --- decoding
export { decode, decodeOkx, decodeOkxMessage } from './decode/decode-okx'
export type { OkxDecodeContext } from './decode/okx-decode-context'
export { okxArgOfTopic, okxControlOf, okxTopic, parseOkxControl } from './decode/okx-control'
export type { OkxControl } from './decode/okx-control'
export {
  OKX_BOOK_CHANNELS,
  OKX_INCREMENTAL_BOOK_CHANNELS,
  parseOkxBookMessage,
} from './decode/parse-okx-book'
export type { OkxBookUpdate, ParseBookResult } from './decode/parse-okx-book'

// --- symbols
export {
  intervalOfOkxChannel,
  okxCandleChannel,
  okxInstId,
  okxInstType,
  okxMarketOf,
  okxUnifiedSymbol,
} from './okx-symbols'

// --- adapter
export { createOkx } from './okx-adapter'
export type { OkxAdapter } from './okx-adapter'
export {
  OKX_DEFAULT_BOOK_DEPTH,
  OKX_DEFAULT_REST_URL,
  OKX_DEFAULT_WS_URL,
  OKX_PATHS,
  OKX_REST_URL,
  OKX_WS_URL,
} from './okx-settings'
export type { OkxSettings } from './okx-settings'
export { OKX_BOOK_LEVELS, createOkxFrameProcessor } from './okx-frame-processor'
export type { OkxFrameProcessor, OkxFrameProcessorOptions } from './okx-frame-processor'
export { OkxInstrumentCache } from './okx-instruments'
export type { OkxInstrument } from './okx-instruments'
export { okxSequenceRule } from './okx-sequence-rule'
export { buildOkxLogin, okxLoginError } from './okx-login'
