import {
  DecodeError,
  type MarketEvent,
  marketEventSchema,
  type SafeParseResult,
  truncate,
} from '@tickmesh/core'
import type { EventCodec } from './event-codec'

/**
 * Decodes a payload and, with `validate`, checks it against the full event schema. Never throws: a
 * payload a consumer cannot use is a `DecodeError` naming the subject.
 */
export function decodeMessage(
  codec: EventCodec,
  payload: Uint8Array,
  subject: string,
  validate: boolean,
): SafeParseResult<MarketEvent> {
  const decoded = codec.decode(payload)
  if (!decoded.success || !validate) return decoded
  const checked = marketEventSchema.safeParse(decoded.value)
  if (checked.success) return { success: true, value: checked.data }
  return {
    success: false,
    error: new DecodeError(`A message on ${subject} does not match the tickmesh event schema.`, {
      venue: decoded.value.venue,
      raw: truncate(JSON.stringify(decoded.value), 512),
      details: { issue: checked.error.issues[0]?.message, path: checked.error.issues[0]?.path.join('.') },
      hint: 'Publisher and consumer may run different tickmesh versions; upgrade them together.',
    }),
  }
}
