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
