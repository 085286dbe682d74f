import type { MarketEvent } from '@tickmesh/core'

/**
 * The `Nats-Msg-Id` JetStream deduplicates on. Trades, candles and gaps use venue identities, so a
 * collector that restarts (or two that overlap while a shard moves) and publishes them again is
 * dropped by the server. Other kinds have no venue identity and include the local receive time: a
 * retried publish of the same event is deduplicated, but a new event is never mistaken for an old
 * one (a book resync that restarts the venue's sequence at 1 must get through).
 */
export function messageIdOf(event: MarketEvent): string {
  switch (event.kind) {
    case 'trade':
      return `trade:${event.venue}:${event.market}:${event.symbol}:${event.id}`
    case 'candle':
      return `candle:${event.venue}:${event.market}:${event.symbol}:${event.interval}:${event.openTime}:${event.closed ? 'c' : 'o'}:${event.close}:${event.volume}`
    case 'gap':
      return `gap:${event.venue}:${event.market}:${event.symbol}:${event.channel}:${event.fromId}:${event.toId}:${event.fromTime}:${event.toTime}`
    case 'order':
      return `order:${event.venue}:${event.market}:${event.orderId}:${event.status}:${event.filled}:${event.receivedAt}`
    case 'balance':
      return `balance:${event.venue}:${event.market}:${event.asset}:${event.receivedAt}`
    case 'status':
    case 'error':
      return `${event.kind}:${event.venue}:${event.market}:${event.symbol}:${event.receivedAt}`
    case 'book':
      return `book:${event.venue}:${event.market}:${event.symbol}:${event.sequence}:${event.receivedAt}`
    default:
      return `${event.kind}:${event.venue}:${event.market}:${event.symbol}:${event.exchangeTime}:${event.receivedAt}`
  }
}
