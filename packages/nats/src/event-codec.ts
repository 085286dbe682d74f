import {
  DecodeError,
  isVenueId,
  type MarketEvent,
  type SafeParseResult,
  safeParseJson,
  truncate,
} from '@tickmesh/core'

/** Turns events into message payloads and back. `decode` never throws. */
export interface EventCodec {
  /** Sent as the `Content-Type` header so consumers can tell codecs apart. */
  readonly contentType: string
  encode(event: MarketEvent): Uint8Array
  decode(payload: Uint8Array): SafeParseResult<MarketEvent>
}

const KINDS = new Set([
  'ticker',
  'trade',
  'bbo',
  'book',
  'candle',
  'order',
  'balance',
  'status',
  'error',
  'gap',
])
const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * UTF-8 JSON, the default: readable with `nats sub`, and every field survives a round trip because
 * unknown values are `null`, not absent.
 */
export const jsonCodec: EventCodec = {
  contentType: 'application/json',
  encode: (event) => encoder.encode(JSON.stringify(event)),
  decode: (payload) => {
    const text = decoder.decode(payload)
    const parsed = safeParseJson<unknown>(text)
    if (!parsed.success) {
      return {
        success: false,
        error: new DecodeError('A NATS message is not valid JSON.', { raw: text, cause: parsed.error }),
      }
    }
    return checkShape(parsed.value, text)
  },
}

/**
 * A cheap structural check (kind and venue) so a foreign message on a tickmesh subject becomes a
 * decode error instead of a crash downstream; full schema validation is the consumer's `validate`.
 */
export function checkShape(value: unknown, text: string): SafeParseResult<MarketEvent> {
  if (
    typeof value === 'object' &&
    value !== null &&
    KINDS.has((value as { kind?: unknown }).kind as string) &&
    isVenueId((value as { venue?: unknown }).venue)
  ) {
    return { success: true, value: value as MarketEvent }
  }
  return {
    success: false,
    error: new DecodeError('A NATS message is not a tickmesh event (no known kind and venue).', {
      raw: truncate(text, 512),
      hint: 'Only tickmesh publishers should write to the tickmesh.> subjects.',
    }),
  }
}
