import type { VenueId } from '@tickmesh/core'

// Trade frames shaped exactly as the simulator (and the real venue) sends them, built from a
// template by concatenation: ids increase by one per frame (Binance and Coinbase adapters check
// that trades are gap-free) and the trade time carries the send time with microseconds, so the
// consumer can measure latency from the event's `exchangeTime`.

export type TradeFrameBuilder = (id: number, stampMs: number) => string

/** `2026-11-25T13:39:06.822123Z` from epoch ms with a fraction. */
export function isoMicros(stampMs: number): string {
  const whole = Math.floor(stampMs)
  const micros = Math.floor((stampMs - whole) * 1000)
  return `${new Date(whole).toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`
}

export function tradeFrameBuilder(
  venue: VenueId,
  path: string,
  clientMessages: readonly string[],
): TradeFrameBuilder {
  // Binance may name its streams in the URL (`/stream?streams=…`) rather than in a SUBSCRIBE message.
  const subscribe = `${path}\n${clientMessages.join('\n')}`.toLowerCase()
  switch (venue) {
    case 'binance': {
      const aggregate = subscribe.includes('@aggtrade')
      const stream = aggregate ? 'btcusdt@aggTrade' : 'btcusdt@trade'
      const wrap = path.startsWith('/stream')
      if (aggregate) {
        return (id, stamp) => {
          const data = `{"e":"aggTrade","E":${stamp},"s":"BTCUSDT","a":${id},"p":"60012.34000000","q":"0.01250000","f":${id},"l":${id},"T":${stamp},"m":${(id & 1) === 1},"M":true}`
          return wrap ? `{"stream":"${stream}","data":${data}}` : data
        }
      }
      return (id, stamp) => {
        const data = `{"e":"trade","E":${stamp},"s":"BTCUSDT","t":${id},"p":"60012.34000000","q":"0.01250000","T":${stamp},"m":${(id & 1) === 1},"M":true}`
        return wrap ? `{"stream":"${stream}","data":${data}}` : data
      }
    }
    case 'bybit':
      return (id, stamp) =>
        `{"topic":"publicTrade.BTCUSDT","ts":${Math.floor(stamp)},"type":"snapshot","data":[{"i":"${2_280_000_000_000 + id}","T":${stamp},"p":"60012.34","v":"0.01250","S":"${(id & 1) === 1 ? 'Sell' : 'Buy'}","seq":${id},"s":"BTCUSDT","BT":false,"RPI":false}]}`
    case 'okx':
      return (id, stamp) =>
        `{"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","tradeId":"${id}","px":"60012.3","sz":"0.0125","side":"${(id & 1) === 1 ? 'sell' : 'buy'}","ts":"${stamp}","count":"1","source":"0","seqId":${id}}]}`
    case 'coinbase':
      return (id, stamp) =>
        `{"type":"match","trade_id":${id},"maker_order_id":"58316185-2b44-4007-8000-0000053a5c83","taker_order_id":"f668db36-2b45-4007-8000-0000053a7b72","side":"${(id & 1) === 1 ? 'sell' : 'buy'}","size":"0.01250000","price":"60012.34","product_id":"BTC-USD","sequence":${1_000_000 + id},"time":"${isoMicros(stamp)}"}`
  }
}

/** The send time a frame carries, read without decoding it (for the bare-ws floor). */
export function stampOf(venue: VenueId, frame: string): number {
  switch (venue) {
    case 'binance':
    case 'bybit': {
      const at = frame.indexOf('"T":')
      return at < 0 ? Number.NaN : Number.parseFloat(frame.slice(at + 4, at + 30))
    }
    case 'okx': {
      const at = frame.indexOf('"ts":"')
      return at < 0 ? Number.NaN : Number.parseFloat(frame.slice(at + 6, at + 30))
    }
    case 'coinbase': {
      const at = frame.indexOf('"time":"')
      return at < 0 ? Number.NaN : isoToMs(frame.slice(at + 8, at + 35))
    }
  }
}

/** Epoch ms with the microseconds of an ISO time such as `2026-11-25T13:39:06.822123Z`. */
export function isoToMs(text: string): number {
  const dot = text.indexOf('.')
  if (dot < 0) return Date.parse(text)
  const end = text.indexOf('Z', dot)
  const fraction = text.slice(dot + 1, end)
  return Date.parse(`${text.slice(0, dot)}Z`) + Number.parseInt(fraction, 10) / 10 ** (fraction.length - 3)
}
