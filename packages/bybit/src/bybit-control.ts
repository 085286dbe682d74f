import type { ControlFrame } from '@tickmesh/core'
import { safeParseJson } from '@tickmesh/core'

/**
 * Bybit replies to requests with `{"success":…,"ret_msg":…,"op":…}` (public spot/linear, auth) — but
 * pongs come in two shapes: public `{"op":"ping","ret_msg":"pong"}` and private `{"op":"pong"}`.
 */
export interface BybitReply {
  op: string
  success: boolean
  retMsg: string
  /** Echoed request id; spot omits it, linear echoes "" — both mean "match by order". */
  requestId: string | null
  isPong: boolean
}

/** Cheap prefilter: data frames start with `{"topic"` or carry `"topic":` — replies never do. */
export function parseBybitReply(text: string): BybitReply | null {
  if (text.indexOf('"op"') === -1) return null
  const parsed = safeParseJson(text)
  if (!parsed.success) return null
  const value = parsed.value
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const record = value as Record<string, unknown>
  if (typeof record.op !== 'string' || record.topic !== undefined) return null
  const retMsg = typeof record.ret_msg === 'string' ? record.ret_msg : ''
  const isPong = record.op === 'pong' || (record.op === 'ping' && retMsg === 'pong')
  return {
    op: record.op,
    success: record.success !== false,
    retMsg,
    requestId: typeof record.req_id === 'string' && record.req_id !== '' ? record.req_id : null,
    isPong,
  }
}

export function isBybitPong(text: string): boolean {
  // Pongs are small; skip parsing large data frames.
  if (text.length > 300) return false
  return parseBybitReply(text)?.isPong === true
}

/** Subscribe/unsubscribe acks and refusals for the topic pool; null for anything else. */
export function parseBybitControl(text: string): ControlFrame | null {
  if (text.length > 2000) return null
  const reply = parseBybitReply(text)
  if (reply === null || (reply.op !== 'subscribe' && reply.op !== 'unsubscribe')) return null
  const frame: ControlFrame = { requestId: reply.requestId, ok: reply.success }
  // No `topics`: a refusal fails the whole request (the simulator, like a cautious client, assumes
  // Bybit subscribed none of it), and the venue's words name the offending topic.
  if (!reply.success) frame.message = reply.retMsg
  return frame
}
