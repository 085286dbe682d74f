import type { DecodeContext, ErrorEvent, Market, MarketEvent } from '@tickmesh/core'
import { truncate } from '@tickmesh/core'
import { toUnifiedSymbol } from '../bybit-symbols'

/** What one frame's decoders share: where it came from, when, and where events go. */
export interface DecodeScope {
  readonly frame: string
  readonly market: Market
  readonly receivedAt: number
  readonly symbolOf: ((venueSymbol: string) => string | undefined) | undefined
  readonly out: MarketEvent[]
}

export function createScope(frame: string, context: DecodeContext, out: MarketEvent[]): DecodeScope {
  return {
    frame,
    market: context.market,
    receivedAt: context.receivedAt,
    symbolOf: context.symbolOf,
    out,
  }
}

/** A `DECODE_ERROR` event carrying the frame, truncated to 512 characters. */
export function decodeErrorEvent(
  message: string,
  frame: string,
  market: Market | null,
  receivedAt: number,
  symbol: string | null = null,
  code = 'DECODE_ERROR',
  hint: string | null = 'The frame was skipped; the stream goes on. Report it if it repeats.',
): ErrorEvent {
  return {
    kind: 'error',
    venue: 'bybit',
    market,
    symbol,
    code,
    message,
    hint,
    raw: truncate(frame, 512),
    receivedAt,
  }
}

export function pushDecodeError(scope: DecodeScope, message: string, symbol: string | null = null): void {
  scope.out.push(decodeErrorEvent(message, scope.frame, scope.market, scope.receivedAt, symbol))
}

/** The unified symbol or a decode error (returns null after pushing it). */
export function resolveSymbol(
  scope: DecodeScope,
  venueSymbol: unknown,
  market = scope.market,
): string | null {
  if (typeof venueSymbol !== 'string' || venueSymbol.length === 0) {
    pushDecodeError(scope, 'Bybit frame has no symbol.')
    return null
  }
  const symbol = toUnifiedSymbol(venueSymbol, market, scope.symbolOf)
  if (symbol === null) pushDecodeError(scope, `Unknown Bybit symbol "${venueSymbol}".`)
  return symbol
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A millisecond timestamp from a number or numeric string, else null. */
export function toTime(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'string' && value.length > 0) {
    const number = +value
    return Number.isFinite(number) ? number : null
  }
  return null
}
