import type { ControlFrame } from '@tickmesh/core'
import { okxControlOf } from './decode/okx-control'
import { isRecord } from './decode/okx-decode-context'

/** Request ids of the adapter's own book resyncs start with this; they are not the pool's. */
export const RESYNC_ID_PREFIX = 'rs'

/**
 * The topic pool's view of OKX control frames: acks and refusals of its own requests. Data frames
 * (`{"arg"…`) are rejected without parsing; notices and errors without an id are data for the
 * adapter (an id-less error must not fail whichever request happens to be oldest).
 */
export function parseOkxPoolControl(text: string): ControlFrame | null {
  if (text.startsWith('{"arg"') || text === 'pong') return null
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return null
  }
  const control = isRecord(parsed) ? okxControlOf(parsed) : null
  if (control === null) return null
  if (control.type === 'subscribe' || control.type === 'unsubscribe') {
    if (control.id?.startsWith(RESYNC_ID_PREFIX)) return { requestId: `ignored-${control.id}`, ok: true }
    return { requestId: control.id, ok: true, ...(control.topic ? { topics: [control.topic] } : {}) }
  }
  if (control.type === 'error' && control.id !== null) {
    if (control.id.startsWith(RESYNC_ID_PREFIX)) return { requestId: `ignored-${control.id}`, ok: false }
    return { requestId: control.id, ok: false, message: `${control.code} ${control.msg}` }
  }
  return null
}
