/** Feed channels the adapter subscribes. `level2` and `user`/`balance` need auth. */
export type CoinbaseFeedChannel =
  | 'ticker'
  | 'matches'
  | 'level2_batch'
  | 'level2'
  | 'heartbeat'
  | 'user'
  | 'balance'

export const AUTH_CHANNELS: ReadonlySet<string> = new Set(['level2', 'user', 'balance'])

/** A pool topic is `channel:PRODUCT` (`ticker:BTC-USD`), the same text the `subscriptions` reply yields. */
export function topicOf(channel: CoinbaseFeedChannel, productId: string): string {
  return `${channel}:${productId}`
}

export function splitTopic(topic: string): { channel: string; productId: string } {
  const colon = topic.indexOf(':')
  return { channel: topic.slice(0, colon), productId: topic.slice(colon + 1) }
}

/** Groups topics into the feed's `channels: [{name, product_ids}]` shape. */
export function channelsOf(topics: readonly string[]): { name: string; product_ids: string[] }[] {
  const byChannel = new Map<string, string[]>()
  for (const topic of topics) {
    const { channel, productId } = splitTopic(topic)
    const list = byChannel.get(channel)
    if (list === undefined) byChannel.set(channel, [productId])
    else list.push(productId)
  }
  const channels: { name: string; product_ids: string[] }[] = []
  for (const [name, productIds] of byChannel) channels.push({ name, product_ids: productIds })
  return channels
}
