import { safeParseJson } from '@tickmesh/core'
import { isRecord, type JsonRecord } from './okx-decode-context'

/** A non-data frame from OKX: acks, errors, login results, notices and the text `pong`. */
export type OkxControl =
  | { type: 'pong' }
  | { type: 'subscribe' | 'unsubscribe'; id: string | null; topic: string | null; connId: string | null }
  | { type: 'error'; id: string | null; code: string; msg: string; connId: string | null }
  | { type: 'login'; code: string; msg: string; connId: string | null }
  | { type: 'notice'; code: string; msg: string; connId: string | null }
  | { type: 'channel-conn-count'; channel: string; connCount: number; connId: string | null }

/** A subscription topic as tickmesh keys it: `channel:instId` (e.g. `books:BTC-USDT`). */
export function okxTopic(channel: string, instId: string): string {
  return `${channel}:${instId}`
}

/** Splits a topic back into the OKX subscription arg. */
export function okxArgOfTopic(topic: string): { channel: string; instId: string } {
  const colon = topic.indexOf(':')
  return colon < 0
    ? { channel: topic, instId: '' }
    : { channel: topic.slice(0, colon), instId: topic.slice(colon + 1) }
}

export function topicOfArg(arg: unknown): string | null {
  if (!isRecord(arg) || typeof arg.channel !== 'string') return null
  if (typeof arg.instId === 'string') return okxTopic(arg.channel, arg.instId)
  if (typeof arg.instType === 'string') return okxTopic(arg.channel, arg.instType)
  if (typeof arg.ccy === 'string') return okxTopic(arg.channel, arg.ccy)
  return arg.channel
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : ''
}

function optionalText(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

/** Recognizes an already-parsed control message; null for data frames and anything unknown. */
export function okxControlOf(message: JsonRecord): OkxControl | null {
  const event = message.event
  if (typeof event !== 'string') return null
  const connId = optionalText(message.connId)
  switch (event) {
    case 'subscribe':
    case 'unsubscribe':
      return { type: event, id: optionalText(message.id), topic: topicOfArg(message.arg), connId }
    case 'error':
      return {
        type: 'error',
        id: optionalText(message.id),
        code: text(message.code),
        msg: text(message.msg),
        connId,
      }
    case 'login':
      return { type: 'login', code: text(message.code), msg: text(message.msg), connId }
    case 'notice':
      return { type: 'notice', code: text(message.code), msg: text(message.msg), connId }
    case 'channel-conn-count':
      return {
        type: 'channel-conn-count',
        channel: text(message.channel),
        connCount: Number(message.connCount),
        connId,
      }
    default:
      return null
  }
}

/**
 * Recognizes a control frame from its text. Data frames start with `{"arg"` on OKX, so they are
 * rejected without a second JSON parse.
 */
export function parseOkxControl(frame: string): OkxControl | null {
  if (frame === 'pong') return { type: 'pong' }
  if (frame.startsWith('{"arg"')) return null
  const parsed = safeParseJson(frame)
  if (!parsed.success || !isRecord(parsed.value)) return null
  return okxControlOf(parsed.value)
}
