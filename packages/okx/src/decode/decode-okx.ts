import type { MarketEvent } from '@tickmesh/core'
import { safeParseJson } from '@tickmesh/core'
import { intervalOfOkxChannel } from '../okx-symbols'
import { decodeOkxBookSnapshots } from './decode-okx-book-snapshots'
import { decodeOkxCandles } from './decode-okx-candle'
import { decodeOkxAccount, decodeOkxOrders } from './decode-okx-private'
import { decodeOkxTicker } from './decode-okx-ticker'
import { decodeOkxTrades } from './decode-okx-trades'
import { decodeErrorEvent, isRecord, type JsonRecord, type OkxDecodeContext } from './okx-decode-context'
import { OKX_INCREMENTAL_BOOK_CHANNELS, parseOkxBookMessage } from './parse-okx-book'

/** Venue error codes → the tickmesh error code an `error` event carries. */
function errorCodeOf(venueCode: string): string {
  if (venueCode === '60009' || venueCode === '60011' || venueCode === '60024' || venueCode === '60006') {
    return 'AUTHENTICATION_ERROR'
  }
  if (venueCode === '60014' || venueCode === '50011') return 'RATE_LIMIT'
  // 5xxxx: the venue's service is unavailable or busy, not a problem with the request.
  if (venueCode.startsWith('5')) return 'CONNECTION_ERROR'
  return 'SUBSCRIPTION_ERROR'
}

/**
 * Decodes one parsed OKX message into `out`. Incremental book channels (`books`, `books*-l2-tbt`)
 * produce nothing here: they need the stateful book sync (see `createOkxFrameProcessor`).
 */
export function decodeOkxMessage(
  message: JsonRecord,
  frame: string,
  context: OkxDecodeContext,
  out: MarketEvent[],
): void {
  const event = message.event
  if (typeof event === 'string') {
    if (event === 'error') {
      const code = typeof message.code === 'string' ? message.code : String(message.code)
      const msg = typeof message.msg === 'string' ? message.msg : ''
      out.push(
        decodeErrorEvent(
          `OKX error ${code}: ${msg}`,
          frame,
          context,
          null,
          errorCodeOf(code),
          'The venue refused a request; see the message for which one.',
        ),
      )
    }
    // Acks, login results, notices and connection counts are control traffic, not market events.
    return
  }
  const arg = message.arg
  const data = message.data
  if (!isRecord(arg) || typeof arg.channel !== 'string' || !Array.isArray(data)) {
    out.push(decodeErrorEvent('Unknown OKX message: neither an event nor arg + data.', frame, context))
    return
  }
  const channel = arg.channel
  switch (channel) {
    case 'tickers':
      decodeOkxTicker(message, data, frame, context, out)
      return
    case 'trades':
    case 'trades-all':
      decodeOkxTrades(message, data, frame, context, out)
      return
    case 'books5':
    case 'bbo-tbt': {
      const parsed = parseOkxBookMessage(message)
      if (!parsed.success) out.push(decodeErrorEvent(`${channel}: ${parsed.error}.`, frame, context))
      else decodeOkxBookSnapshots(parsed.updates, frame, context, out)
      return
    }
    case 'orders':
      decodeOkxOrders(data, frame, context, out)
      return
    case 'account':
      decodeOkxAccount(data, frame, context, out)
      return
    default: {
      if (OKX_INCREMENTAL_BOOK_CHANNELS.has(channel)) return
      const interval = intervalOfOkxChannel(channel)
      if (interval !== null) decodeOkxCandles(message, data, interval, frame, context, out)
      // Other channels (funding, index, …) are not part of the normalized model: skipped.
    }
  }
}

/**
 * The pure, total OKX decoder: one frame as received → normalized events. Never throws; malformed
 * input becomes an `error` event with code `DECODE_ERROR` and the raw frame (truncated).
 */
export function decodeOkx(frame: string, context: OkxDecodeContext): MarketEvent[] {
  const out: MarketEvent[] = []
  if (typeof frame !== 'string') {
    out.push(decodeErrorEvent('Frame is not text.', String(frame), context))
    return out
  }
  if (frame === 'pong') return out
  const parsed = safeParseJson(frame)
  if (!parsed.success) {
    out.push(decodeErrorEvent(`Frame is not valid JSON: ${parsed.error.message}`, frame, context))
    return out
  }
  if (!isRecord(parsed.value)) {
    out.push(decodeErrorEvent('Frame is not a JSON object.', frame, context))
    return out
  }
  try {
    decodeOkxMessage(parsed.value, frame, context, out)
  } catch (error) {
    // Defensive: a decoder bug must cost one frame, never the receive loop.
    out.push(decodeErrorEvent(`Decoder failed: ${String(error)}`, frame, context))
  }
  return out
}

/** `decode` under the name every venue package exports. */
export const decode = decodeOkx
