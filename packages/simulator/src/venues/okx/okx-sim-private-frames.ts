import type { SimMarket } from '../../sim-types'
import { okxPx, okxSz } from './okx-sim-format'

// The synthetic private stream: an order that goes live → partially_filled → filled, and balances,
// in the shapes of OKX's `orders` and `account` channels.

/** One `orders` push; `step` 0/1/2 = live/partially_filled/filled of order number `orderNumber`. */
export function okxOrderFrame(
  market: SimMarket,
  arg: Record<string, unknown>,
  step: number,
  orderNumber: number,
): string {
  const instrument = market.instruments('okx').find((candidate) => candidate.market === 'spot')
  if (!instrument) return JSON.stringify({ arg: { ...arg, uid: '77777' }, data: [] })
  const ordId = String(900_000_000 + orderNumber)
  const book = market.book(instrument, 1)
  const px = okxPx(instrument, book.bids[0]?.[0] ?? 1)
  const sizeLots = 1000
  const filledLots = step === 0 ? 0 : step === 1 ? sizeLots / 2 : sizeLots
  const now = String(market.now())
  return JSON.stringify({
    arg: { ...arg, uid: '77777' },
    data: [
      {
        instType: 'SPOT',
        instId: instrument.venueSymbol,
        ccy: '',
        ordId,
        clOrdId: `sim${ordId}`,
        tag: '',
        px,
        sz: okxSz(instrument, sizeLots),
        notionalUsd: '',
        ordType: 'limit',
        side: 'buy',
        posSide: 'net',
        tdMode: 'cash',
        fillPx: step === 0 ? '' : px,
        tradeId: step === 0 ? '' : `${ordId}${step}`,
        fillSz: step === 0 ? '0' : okxSz(instrument, sizeLots / 2),
        fillTime: step === 0 ? '' : now,
        state: step === 0 ? 'live' : step === 1 ? 'partially_filled' : 'filled',
        accFillSz: okxSz(instrument, filledLots),
        avgPx: step === 0 ? '' : px,
        fee: '0',
        feeCcy: instrument.base,
        cTime: now,
        uTime: now,
        reqId: '',
        amendResult: '',
        code: '0',
        msg: '',
      },
    ],
  })
}

/** One `account` push with USDT and BTC balances that move with `step`. */
export function okxAccountFrame(market: SimMarket, step: number): string {
  const now = String(market.now())
  const btc = (0.5 + step * 0.001).toFixed(8)
  const details = [
    { ccy: 'USDT', availBal: String(10_000 - step), frozenBal: String(step % 3), cashBal: '10000' },
    { ccy: 'BTC', availBal: btc, frozenBal: '0', cashBal: btc },
  ].map((detail) => ({
    availBal: detail.availBal,
    availEq: detail.availBal,
    cashBal: detail.cashBal,
    ccy: detail.ccy,
    disEq: '',
    eq: detail.cashBal,
    eqUsd: '',
    frozenBal: detail.frozenBal,
    ordFrozen: detail.frozenBal,
    uTime: now,
  }))
  return JSON.stringify({
    arg: { channel: 'account', uid: '77777' },
    data: [
      {
        uTime: now,
        totalEq: '',
        isoEq: '',
        adjEq: '',
        ordFroz: '',
        imr: '',
        mmr: '',
        notionalUsd: '',
        mgnRatio: '',
        details,
      },
    ],
  })
}
