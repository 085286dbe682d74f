import { formatPrice, formatSize } from '../../shared/index'
import type { SimInstrument, SimLevel, SimTrade } from '../../sim-types'

// Frame builders with the exact keys, value types and key order of the real Bybit V5 frames
// (fixtures in shared/fixtures/bybit). Spot and linear differ in key order and a few fields.

type Category = 'spot' | 'linear'

/** Subscribe/unsubscribe reply: spot `ret_msg` = op and req_id echoed when given; linear `ret_msg` "" and req_id "". */
export function opReply(
  category: Category | 'private',
  op: string,
  success: boolean,
  retMsg: string | null,
  connId: string,
  requestId: string | undefined,
): string {
  if (category === 'linear') {
    return JSON.stringify({
      success,
      ret_msg: retMsg ?? '',
      conn_id: connId,
      req_id: success ? '' : (requestId ?? ''),
      op,
    })
  }
  if (category === 'private') {
    const reply: Record<string, unknown> = { success, ret_msg: retMsg ?? '', op, conn_id: connId }
    if (requestId !== undefined) reply.req_id = requestId
    return JSON.stringify(reply)
  }
  const reply: Record<string, unknown> = { success, ret_msg: retMsg ?? op, conn_id: connId }
  if (requestId !== undefined) reply.req_id = requestId
  reply.op = op
  return JSON.stringify(reply)
}

/** Pong: public `{"success":true,"ret_msg":"pong",…,"op":"ping"}`, private `{"op":"pong","args":["<ms>"]}`. */
export function pongFrame(
  category: Category | 'private',
  connId: string,
  requestId: string | undefined,
  now: number,
): string {
  if (category === 'private') {
    const reply: Record<string, unknown> = {}
    if (requestId !== undefined) reply.req_id = requestId
    reply.op = 'pong'
    reply.args = [String(now)]
    reply.conn_id = connId
    return JSON.stringify(reply)
  }
  return opReply(category, 'ping', true, 'pong', connId, requestId)
}

function levels(instrument: SimInstrument, side: readonly SimLevel[]): [string, string][] {
  const out: [string, string][] = new Array(side.length)
  for (let index = 0; index < side.length; index++) {
    const level = side[index] as SimLevel
    out[index] = [formatPrice(instrument, level[0]), formatSize(instrument, level[1])]
  }
  return out
}

export function bookFrame(
  category: Category,
  topic: string,
  type: 'snapshot' | 'delta',
  instrument: SimInstrument,
  bids: readonly SimLevel[],
  asks: readonly SimLevel[],
  updateId: number,
  crossSequence: number,
  time: number,
): string {
  const data = {
    s: instrument.venueSymbol,
    b: levels(instrument, bids),
    a: levels(instrument, asks),
    u: updateId,
    seq: crossSequence,
  }
  // Spot puts `ts` before `type`; linear after (as in the real capture).
  return category === 'spot'
    ? JSON.stringify({ topic, ts: time, type, data, cts: time - 1 })
    : JSON.stringify({ topic, type, ts: time, data, cts: time - 1 })
}

/** A trade id as Bybit prints it: spot a long decimal string, linear a UUID. */
export function tradeId(category: Category, trade: SimTrade): string {
  if (category === 'spot') return String(2280000000000000000n + BigInt(trade.id))
  const hex = trade.id.toString(16).padStart(12, '0')
  const symbolHex = Buffer.from(trade.instrument.venueSymbol).toString('hex').padEnd(8, '0').slice(0, 8)
  return `${symbolHex}-0000-5000-8000-${hex}`
}

export function tradeFrame(
  category: Category,
  trade: SimTrade,
  tickDirection: string,
  crossSequence: number,
): string {
  const instrument = trade.instrument
  const side = trade.side === 'buy' ? 'Buy' : 'Sell'
  const price = formatPrice(instrument, trade.priceTicks)
  const size = formatSize(instrument, trade.sizeLots)
  const id = tradeId(category, trade)
  const topic = `publicTrade.${instrument.venueSymbol}`
  if (category === 'spot') {
    return JSON.stringify({
      topic,
      ts: trade.time,
      type: 'snapshot',
      data: [
        {
          i: id,
          T: trade.time,
          p: price,
          v: size,
          S: side,
          seq: crossSequence,
          s: instrument.venueSymbol,
          BT: false,
          RPI: false,
        },
      ],
    })
  }
  return JSON.stringify({
    topic,
    type: 'snapshot',
    ts: trade.time,
    data: [
      {
        T: trade.time,
        s: instrument.venueSymbol,
        S: side,
        v: size,
        p: price,
        L: tickDirection,
        i: id,
        BT: false,
        RPI: false,
        seq: crossSequence,
      },
    ],
  })
}

export interface KlineState {
  start: number
  intervalMs: number
  interval: string
  openTicks: number
  highTicks: number
  lowTicks: number
  closeTicks: number
  volumeLots: number
  turnover: number
}

export function klineFrame(
  category: Category,
  instrument: SimInstrument,
  kline: KlineState,
  confirm: boolean,
  time: number,
): string {
  const topic = `kline.${kline.interval}.${instrument.venueSymbol}`
  const data = [
    {
      start: kline.start,
      end: kline.start + kline.intervalMs - 1,
      interval: kline.interval,
      open: formatPrice(instrument, kline.openTicks, { trim: true }),
      close: formatPrice(instrument, kline.closeTicks, { trim: true }),
      high: formatPrice(instrument, kline.highTicks, { trim: true }),
      low: formatPrice(instrument, kline.lowTicks, { trim: true }),
      volume: formatSize(instrument, kline.volumeLots, { trim: true }),
      turnover: kline.turnover.toFixed(4),
      confirm,
      timestamp: time,
    },
  ]
  return category === 'spot'
    ? JSON.stringify({ type: 'snapshot', topic, data, ts: time })
    : JSON.stringify({ topic, data, ts: time, type: 'snapshot' })
}
