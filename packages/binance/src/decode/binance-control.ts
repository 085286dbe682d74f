import type { ControlFrame } from '@tickmesh/core'
import { safeParseJson } from '@tickmesh/core'
import { isObject } from './decode-helpers'

/**
 * Recognizes replies to SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS on the market streams:
 * `{"result":null,"id":1}` (ok), `{"result":["btcusdt@aggTrade"],"id":3}` (list) and
 * `{"error":{"code":2,"msg":"Invalid request: invalid stream"},"id":2}`. Null for anything else.
 */
export function parseBinanceControl(text: string): ControlFrame | null {
  // Data frames start with {"stream" (combined) or {"e": / {"u": (raw): rejected by prefix before
  // any scan of the whole frame, since this runs on every frame. Replies are short and carry "id".
  if (text.startsWith('{"stream"') || text.startsWith('{"e":') || text.startsWith('{"u":')) return null
  if (text.length > 512 || (!text.includes('"id"') && !text.includes('"result"'))) return null
  const parsed = safeParseJson(text)
  if (!parsed.success || !isObject(parsed.value)) return null
  const frame = parsed.value
  if (!('id' in frame)) return null
  const id = frame.id
  const requestId = typeof id === 'number' || typeof id === 'string' ? String(id) : null
  if ('error' in frame) {
    const error = frame.error
    const message = isObject(error)
      ? `${typeof error.msg === 'string' ? error.msg : 'unknown error'} (code ${String(error.code)})`
      : 'unknown error'
    return { requestId, ok: false, message }
  }
  if (!('result' in frame)) return null
  const result = frame.result
  if (Array.isArray(result)) {
    const topics = result.filter((topic): topic is string => typeof topic === 'string')
    return { requestId, ok: true, topics }
  }
  return { requestId, ok: true }
}

/** True for a `serverShutdown` event (raw or in the combined envelope): the venue closes soon. */
export function isBinanceServerShutdown(text: string): boolean {
  // Decided by prefix for the compact frames Binance sends, so data frames skip the scan: a
  // combined frame of a symbol stream (`{"stream":"btcusdt@…`) is never one (the event comes on
  // `!serverShutdown`), and a raw frame names its event type first.
  if (text.startsWith('{"stream":"')) {
    if (text.charCodeAt(11) !== 33 /* ! */) return false
  } else if (text.startsWith('{"e":"')) {
    return text.startsWith('serverShutdown"', 6)
  }
  return text.includes('"serverShutdown"') && /"e"\s*:\s*"serverShutdown"/.test(text)
}

/** A WebSocket API reply: `{"id","status":200,"result"}` or `{"id","status":4xx,"error":{code,msg}}`. */
export interface BinanceWsApiResponse {
  id: string | number | null
  status: number
  result: unknown
  error: { code: number; msg: string } | null
}

export function parseBinanceWsApiResponse(text: string): BinanceWsApiResponse | null {
  const parsed = safeParseJson(text)
  if (!parsed.success || !isObject(parsed.value)) return null
  const frame = parsed.value
  if (typeof frame.status !== 'number' || !('id' in frame)) return null
  const id = frame.id
  const error = frame.error
  return {
    id: typeof id === 'string' || typeof id === 'number' ? id : null,
    status: frame.status,
    result: frame.result ?? null,
    error:
      isObject(error) && typeof error.code === 'number'
        ? { code: error.code, msg: typeof error.msg === 'string' ? error.msg : '' }
        : null,
  }
}
