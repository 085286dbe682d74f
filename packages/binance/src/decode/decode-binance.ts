import type { DecodeContext, MarketEvent } from '@tickmesh/core'
import { safeParseJson } from '@tickmesh/core'
import { decodeBinanceBbo } from './decode-binance-bbo'
import { decodeBinanceCandle } from './decode-binance-candle'
import { decodeBinancePartialDepth } from './decode-binance-partial-depth'
import { decodeBinanceTicker } from './decode-binance-ticker'
import { decodeBinanceTrade } from './decode-binance-trade'
import { decodeBinanceBalances, decodeBinanceOrder } from './decode-binance-user-data'
import type { WireObject } from './decode-helpers'
import { decodeError, isObject } from './decode-helpers'

/**
 * Binance's pure, total decoder: one frame (combined `{"stream","data"}` envelope, raw stream event,
 * WebSocket API user-data `{"subscriptionId","event"}` or a control reply) → normalized events.
 * Never throws, never does I/O. `depthUpdate` gives no events here: diffs only become `book` events
 * after the snapshot sync (`createBinanceFrameProcessor`); use `parseBinanceDepthUpdate` for them.
 */
export function decodeBinance(frame: string, context: DecodeContext): MarketEvent[] {
  const parsed = safeParseJson(frame)
  if (!parsed.success) return [decodeError(`Invalid JSON: ${parsed.error.message}`, frame, context)]
  const value = parsed.value
  if (!isObject(value)) return [decodeError('A Binance frame must be a JSON object.', frame, context)]
  const out: MarketEvent[] = []
  decodeBinanceObject(value, frame, context, out)
  return out
}

/** `decode` under the common adapter name. */
export const decode = decodeBinance

/** Decodes an already parsed frame into `out` (the frame processor parses once and reuses it). */
export function decodeBinanceObject(
  value: WireObject,
  frame: string,
  context: DecodeContext,
  out: MarketEvent[],
): void {
  let payload: unknown = value
  let streamName: string | null = null
  if (typeof value.stream === 'string' && 'data' in value) {
    streamName = value.stream
    payload = value.data
  } else if ('subscriptionId' in value && 'event' in value) {
    payload = value.event
  } else if ('id' in value && ('result' in value || 'error' in value || 'status' in value)) {
    decodeControl(value, frame, context, out)
    return
  }
  if (!isObject(payload)) {
    out.push(decodeError('A Binance event payload must be a JSON object.', frame, context))
    return
  }
  decodePayload(payload, streamName, frame, context, out)
}

function decodePayload(
  data: WireObject,
  streamName: string | null,
  frame: string,
  context: DecodeContext,
  out: MarketEvent[],
): void {
  const eventType = data.e
  if (eventType === undefined) {
    // Spot bookTicker and partial depth carry no event type; recognize them by their fields.
    if ('u' in data && 'b' in data && 'a' in data && 's' in data) {
      out.push(decodeBinanceBbo(data, frame, context))
    } else if ('lastUpdateId' in data && 'bids' in data) {
      const event = decodeBinancePartialDepth(data, streamName, frame, context)
      out.push(event)
    } else {
      out.push(decodeError('Unrecognized Binance frame (no event type).', frame, context))
    }
    return
  }
  if (typeof eventType !== 'string') {
    out.push(decodeError('Binance event type "e" must be a string.', frame, context))
    return
  }
  switch (eventType) {
    case '24hrTicker':
    case '24hrMiniTicker':
      out.push(decodeBinanceTicker(data, frame, context))
      return
    case 'aggTrade':
      out.push(decodeBinanceTrade(data, frame, context, 'a'))
      return
    case 'trade':
      out.push(decodeBinanceTrade(data, frame, context, 't'))
      return
    case 'bookTicker':
      out.push(decodeBinanceBbo(data, frame, context))
      return
    case 'kline': {
      const event = decodeBinanceCandle(data, frame, context)
      if (event !== null) out.push(event)
      return
    }
    case 'executionReport':
      out.push(decodeBinanceOrder(data, frame, context))
      return
    case 'outboundAccountPosition':
      decodeBinanceBalances(data, frame, context, out)
      return
    default:
      // depthUpdate (book sync), serverShutdown (connection handling), balanceUpdate (a delta, the
      // absolute balance follows in outboundAccountPosition) and event types added later: no events.
      return
  }
}

function decodeControl(value: WireObject, frame: string, context: DecodeContext, out: MarketEvent[]): void {
  const error = value.error
  if (error === undefined || error === null) return
  const code = isObject(error) ? error.code : undefined
  const message = isObject(error) && typeof error.msg === 'string' ? error.msg : 'unknown error'
  const isAuth = code === -1021 || code === -1022 || code === -2014 || code === -2015
  out.push(
    decodeError(
      `Binance refused request ${String(value.id)}: ${message} (code ${String(code)}).`,
      frame,
      context,
      null,
      isAuth ? 'AUTHENTICATION_ERROR' : 'SUBSCRIPTION_ERROR',
    ),
  )
}
