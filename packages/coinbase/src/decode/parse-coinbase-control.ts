import type { ControlFrame } from '@tickmesh/core'
import { safeParseJson } from '@tickmesh/core'

/** One entry of a cumulative `subscriptions` reply. */
export interface CoinbaseChannelEntry {
  name: string
  productIds: string[]
}

/** The cumulative `{"type":"subscriptions","channels":[{"name","product_ids"}]}` reply. */
export function parseCoinbaseSubscriptions(message: Record<string, unknown>): CoinbaseChannelEntry[] | null {
  if (message.type !== 'subscriptions' || !Array.isArray(message.channels)) return null
  const entries: CoinbaseChannelEntry[] = []
  for (const channel of message.channels as unknown[]) {
    if (typeof channel === 'string') {
      entries.push({ name: channel, productIds: [] })
      continue
    }
    if (typeof channel !== 'object' || channel === null) continue
    const record = channel as Record<string, unknown>
    if (typeof record.name !== 'string') continue
    const productIds = Array.isArray(record.product_ids)
      ? (record.product_ids as unknown[]).filter((id): id is string => typeof id === 'string')
      : []
    entries.push({ name: record.name, productIds })
  }
  return entries
}

/** The venue's words for an `error` frame: `message` plus `reason` when present. */
export function coinbaseErrorText(message: Record<string, unknown>): string {
  const text = typeof message.message === 'string' ? message.message : 'error'
  return typeof message.reason === 'string' && message.reason.length > 0 ? `${text}: ${message.reason}` : text
}

/** Whether a text frame is a control frame (`subscriptions` or `error`) worth fully parsing. */
function looksLikeControl(text: string): boolean {
  // Cheap pre-check so the hot path does not JSON.parse every market frame twice.
  return text.includes('"subscriptions"') || text.includes('"error"')
}

/**
 * Recognizes Coinbase acks and refusals for the topic pool. Coinbase echoes no request id: the pool
 * matches the oldest pending request. Topics are `channel:PRODUCT` strings, as the adapter builds them.
 */
export function parseCoinbaseControl(text: string): ControlFrame | null {
  if (!looksLikeControl(text)) return null
  const parsed = safeParseJson<unknown>(text)
  if (!parsed.success || typeof parsed.value !== 'object' || parsed.value === null) return null
  const message = parsed.value as Record<string, unknown>
  if (message.type === 'subscriptions') {
    const entries = parseCoinbaseSubscriptions(message) ?? []
    const topics: string[] = []
    for (const entry of entries) {
      for (const productId of entry.productIds) topics.push(`${entry.name}:${productId}`)
    }
    return { requestId: null, ok: true, topics }
  }
  if (message.type === 'error') {
    return { requestId: null, ok: false, message: coinbaseErrorText(message) }
  }
  return null
}
