import type { DecodeContext, ErrorEvent } from '@tickmesh/core'
import { DecodeError } from '@tickmesh/core'

/** An `error` event for a frame that could not be understood; the raw frame is truncated by DecodeError. */
export function decodeErrorEvent(
  message: string,
  frame: string,
  context: DecodeContext,
  symbol: string | null = null,
): ErrorEvent {
  const error = new DecodeError(message, {
    venue: 'coinbase',
    raw: frame,
    hint: 'The frame was skipped and the stream goes on; report it if it repeats.',
  })
  return {
    kind: 'error',
    venue: 'coinbase',
    market: context.market,
    symbol,
    code: error.code,
    message: error.shortMessage,
    hint: error.hint,
    raw: error.raw,
    receivedAt: context.receivedAt,
  }
}
