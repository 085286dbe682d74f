import type { VenueId } from '@tickmesh/core'

/** The streams the end-to-end sections drive. */
export type StreamChannel = 'trades' | 'ticker'

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

/**
 * Ticker frames shaped as the simulator sends them; the event time carries the send time, the
 * sequence (Coinbase) and last trade id increase per frame.
 */
export function tickerFrameBuilder(venue: VenueId, path: string): TradeFrameBuilder {
  switch (venue) {
    case 'binance': {
      const wrap = path.startsWith('/stream')
      return (id, stamp) => {
        const data = `{"e":"24hrTicker","E":${stamp},"s":"BTCUSDT","p":"-148.85000000","P":"-0.248","w":"59998.84117180","x":"60123.36000000","c":"59974.51000000","Q":"0.01250000","b":"59974.50000000","B":"0.31800022","a":"59974.51000000","A":"0.33634098","o":"60123.36000000","h":"60377.46000000","l":"59781.12000000","v":"2881.36626700","q":"172881785.02940000","O":${Math.floor(stamp) - 86_400_000},"C":${Math.floor(stamp)},"F":1,"L":${id},"n":${id}}`
        return wrap ? `{"stream":"btcusdt@ticker","data":${data}}` : data
      }
    }
    case 'bybit':
      return (id, stamp) =>
        `{"topic":"tickers.BTCUSDT","ts":${stamp},"type":"snapshot","cs":${id},"data":{"symbol":"BTCUSDT","lastPrice":"59974.50","highPrice24h":"60377.46","lowPrice24h":"59781.12","prevPrice24h":"60123.36","volume24h":"2881.366267","turnover24h":"172881785.0294","price24hPcnt":"-0.0025","usdIndexPrice":"59974.50"}}`
    case 'okx':
      return (_id, stamp) =>
        `{"arg":{"channel":"tickers","instId":"BTC-USDT"},"data":[{"instType":"SPOT","instId":"BTC-USDT","last":"59956.8","lastSz":"0.00969529","askPx":"59968.9","askSz":"0.68490983","bidPx":"59956.8","bidSz":"0.02554816","open24h":"59884.9","high24h":"60187.9","low24h":"59784.8","volCcy24h":"184397090.0856","vol24h":"3073.29621728","sodUtc0":"59884.9","sodUtc8":"59884.9","ts":"${stamp}"}]}`
    case 'coinbase':
      return (id, stamp) =>
        `{"type":"ticker","sequence":${1_000_000 + id},"product_id":"BTC-USD","price":"59971.21","open_24h":"60220.15","volume_24h":"6446.46093932","low_24h":"59946.37","high_24h":"60473.81","volume_30d":"193393.82817960","best_bid":"59953.21","best_bid_size":"0.31800022","best_ask":"59971.21","best_ask_size":"0.33634098","side":"buy","time":"${isoMicros(stamp)}","trade_id":${id},"last_size":"0.16669673"}`
  }
}

export function frameBuilder(
  channel: StreamChannel,
  venue: VenueId,
  path: string,
  clientMessages: readonly string[],
): TradeFrameBuilder {
  return channel === 'trades'
    ? tradeFrameBuilder(venue, path, clientMessages)
    : tickerFrameBuilder(venue, path)
}

/** The send time a frame carries, read without decoding it (for the bare-ws floor). */
export function stampOf(venue: VenueId, frame: string): number {
  switch (venue) {
    case 'binance':
    case 'bybit': {
      // Trades carry it in the trade time `T`, tickers in the event time (`E` / `ts`).
      let at = frame.indexOf('"T":')
      if (at < 0) at = frame.indexOf(venue === 'binance' ? '"E":' : '"ts":')
      if (at < 0) return Number.NaN
      const start = frame.indexOf(':', at) + 1
      return Number.parseFloat(frame.slice(start, start + 26))
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
