import {
  CANDLE_INTERVALS,
  type Channel,
  ConfigError,
  type MarketEvent,
  type SubscribeRequest,
} from '@tickmesh/core'
import { okxTopic } from './decode/okx-control'
import { okxCandleChannel } from './okx-symbols'

/** OKX connection groups: public channels, `books` (at most ~30 per connection) and `/business`. */
export type OkxPoolName = 'public' | 'books' | 'business'

/** Venue channel and connection group of a public subscription; null for private channels. */
export function okxChannelOf(request: SubscribeRequest): { channel: string; pool: OkxPoolName } | null {
  switch (request.channel) {
    case 'ticker':
      return { channel: 'tickers', pool: 'public' }
    case 'trades':
      return { channel: 'trades', pool: 'public' }
    case 'bbo':
      return { channel: 'bbo-tbt', pool: 'public' }
    case 'book':
      return { channel: 'books', pool: 'books' }
    case 'candles': {
      const channel = okxCandleChannel(request.interval ?? '1m')
      if (channel === null) {
        throw new ConfigError(`Unknown candle interval "${String(request.interval)}".`, {
          venue: 'okx',
          hint: `Use one of ${CANDLE_INTERVALS.join(', ')}.`,
        })
      }
      return { channel, pool: 'business' }
    }
    default:
      return null
  }
}

/** Route key of a subscription's events: `kind|instId` (candles add the interval). */
export function routeKey(kind: string, instId: string): string {
  return `${kind}|${instId}`
}

/** The route key an event is delivered by; null for status and error events. */
export function routeKeyOfEvent(event: MarketEvent): string | null {
  switch (event.kind) {
    case 'ticker':
    case 'trade':
    case 'bbo':
    case 'book':
      return routeKey(event.kind, event.venueSymbol)
    case 'candle':
      return routeKey(`candle:${event.interval}`, event.venueSymbol)
    case 'order':
      return 'order|*'
    case 'balance':
      return 'balance|*'
    default:
      return null
  }
}

/** The event kind each subscription channel delivers. */
export const EVENT_KIND_OF_CHANNEL: Record<Channel, string> = {
  ticker: 'ticker',
  trades: 'trade',
  bbo: 'bbo',
  book: 'book',
  candles: 'candle',
  orders: 'order',
  balances: 'balance',
}

/** Cheap topic extraction from a data frame's head: `{"arg":{"channel":"books","instId":"BTC-USDT"}…`. */
export function topicOfFrame(text: string): string | null {
  const channelAt = text.indexOf('"channel":"')
  if (channelAt < 0 || channelAt > 64) return null
  const channelEnd = text.indexOf('"', channelAt + 11)
  const instAt = text.indexOf('"instId":"', channelEnd)
  if (channelEnd < 0 || instAt < 0 || instAt > channelEnd + 4) return null
  const instEnd = text.indexOf('"', instAt + 10)
  if (instEnd < 0) return null
  return okxTopic(text.slice(channelAt + 11, channelEnd), text.slice(instAt + 10, instEnd))
}
