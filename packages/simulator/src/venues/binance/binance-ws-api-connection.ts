import type { Outbound } from '../../shared/index'
import type { SimInstrument, SimMarket } from '../../sim-types'
import type { BinanceSimAccount } from './binance-auth'
import { verifyBinanceRequest } from './binance-auth'
import { price, size } from './binance-frames'

export interface WsApiConnectionOptions {
  market: SimMarket
  accounts: readonly BinanceSimAccount[]
  pingIntervalMs: number
  pongTimeoutMs: number
  /** Period of the synthetic order lifecycle step on a user-data subscription. */
  userDataIntervalMs: number
  takeErrorReply: () => boolean
}

interface Balance {
  free: number
  locked: number
}

/**
 * One connection to the WebSocket API (`/ws-api/v3`): `ping`, `time`,
 * `userDataStream.subscribe.signature` (signed, verified as Binance does) and
 * `userDataStream.unsubscribe`; a subscribed account then receives a synthetic order lifecycle
 * (`executionReport` NEW → PARTIALLY_FILLED → FILLED) and `outboundAccountPosition` after each fill.
 */
export class BinanceWsApiConnection {
  private lastPongAt = performance.now()
  private readonly pingTimer: ReturnType<typeof setInterval>
  private userDataTimer: ReturnType<typeof setTimeout> | null = null
  private subscriptionId: number | null = null
  private nextSubscriptionId = 0
  private orderId = 1000
  private step = 0
  private readonly balances = new Map<string, Balance>()
  private instrument: SimInstrument | undefined

  constructor(
    private readonly outbound: Outbound,
    private readonly options: WsApiConnectionOptions,
  ) {
    const socket = outbound.socket
    socket.on('message', (data, isBinary) => this.onMessage(isBinary ? '' : data.toString()))
    socket.on('pong', () => {
      this.lastPongAt = performance.now()
    })
    socket.once('close', () => this.dispose())
    this.pingTimer = setInterval(() => {
      if (performance.now() - this.lastPongAt > options.pongTimeoutMs) outbound.close(1008, 'Pong timeout')
      else outbound.ping()
    }, options.pingIntervalMs)
    this.instrument = options.market.instruments('binance').find((candidate) => candidate.market === 'spot')
    if (this.instrument) {
      this.balances.set(this.instrument.base, { free: 10, locked: 0 })
      this.balances.set(this.instrument.quote, { free: 1_000_000, locked: 0 })
    }
  }

  private send(id: unknown, status: number, body: string): void {
    this.outbound.send(`{"id":${JSON.stringify(id ?? null)},"status":${status},${body}}`)
  }

  private fail(id: unknown, status: number, code: number, msg: string): void {
    this.send(id, status, `"error":${JSON.stringify({ code, msg })}`)
  }

  private onMessage(text: string): void {
    let request: unknown
    try {
      request = JSON.parse(text)
    } catch {
      this.fail(null, 400, -1100, 'Illegal characters found in a parameter.')
      return
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      this.fail(null, 400, -1100, 'Illegal characters found in a parameter.')
      return
    }
    const { id, method, params } = request as { id?: unknown; method?: unknown; params?: unknown }
    if (this.options.takeErrorReply()) {
      this.fail(id, 503, -1001, 'Internal error; unable to process your request. Please try again.')
      return
    }
    const paramObject =
      typeof params === 'object' && params !== null && !Array.isArray(params)
        ? (params as Record<string, unknown>)
        : {}
    switch (method) {
      case 'ping':
        this.send(id, 200, '"result":{}')
        return
      case 'time':
        this.send(id, 200, `"result":{"serverTime":${Math.round(this.options.market.now())}}`)
        return
      case 'userDataStream.subscribe.signature': {
        const failure = verifyBinanceRequest(paramObject, this.options.accounts, this.options.market.now())
        if (failure) {
          this.fail(id, failure.status, failure.code, failure.msg)
          return
        }
        if (this.subscriptionId === null) {
          this.subscriptionId = this.nextSubscriptionId++
          this.userDataTimer = setTimeout(() => this.userDataStep(), 20)
        }
        this.send(id, 200, `"result":{"subscriptionId":${this.subscriptionId}}`)
        return
      }
      case 'userDataStream.unsubscribe':
        this.stopUserData()
        this.send(id, 200, '"result":{}')
        return
      default:
        this.fail(
          id,
          400,
          -1100,
          `Illegal characters found in parameter 'method'; unknown method ${JSON.stringify(method)}.`,
        )
    }
  }

  private userDataStep(): void {
    this.userDataTimer = setTimeout(() => this.userDataStep(), this.options.userDataIntervalMs)
    const instrument = this.instrument
    if (!instrument || this.subscriptionId === null) return
    const market = this.options.market
    const book = market.book(instrument, 1)
    const priceTicks = book.bids[0]?.[0] ?? market.stats24h(instrument).lastTicks
    const quantityLots = Math.max(1, Math.round(0.01 / instrument.lotSize))
    const phase = this.step++ % 3
    if (phase === 0) this.orderId++
    const status = phase === 0 ? 'NEW' : phase === 1 ? 'PARTIALLY_FILLED' : 'FILLED'
    const filledLots = phase === 0 ? 0 : phase === 1 ? Math.floor(quantityLots / 2) : quantityLots
    const lastLots = phase === 0 ? 0 : phase === 1 ? filledLots : quantityLots - Math.floor(quantityLots / 2)
    const now = market.now()
    const priceValue = priceTicks * instrument.tickSize
    const quantity = quantityLots * instrument.lotSize
    const lastQuantity = lastLots * instrument.lotSize
    this.emit({
      e: 'executionReport',
      E: now,
      s: instrument.venueSymbol,
      c: `sim-${this.orderId}`,
      S: 'BUY',
      o: 'LIMIT',
      f: 'GTC',
      q: size(instrument, quantityLots),
      p: price(instrument, priceTicks),
      P: '0.00000000',
      F: '0.00000000',
      g: -1,
      C: '',
      x: phase === 0 ? 'NEW' : 'TRADE',
      X: status,
      r: 'NONE',
      i: this.orderId,
      l: size(instrument, lastLots),
      z: size(instrument, filledLots),
      L: phase === 0 ? '0.00000000' : price(instrument, priceTicks),
      n: '0',
      N: null,
      T: now,
      t: phase === 0 ? -1 : this.orderId * 10 + phase,
      v: 3,
      I: this.orderId * 100 + phase,
      w: phase !== 2,
      m: phase !== 0,
      M: false,
      O: now,
      Z: (filledLots * instrument.lotSize * priceValue).toFixed(8),
      Y: (lastQuantity * priceValue).toFixed(8),
      Q: '0.00000000',
      W: now,
      V: 'EXPIRE_MAKER',
    })
    const quote = this.balances.get(instrument.quote) as Balance
    const baseBalance = this.balances.get(instrument.base) as Balance
    if (phase === 0) {
      quote.free -= quantity * priceValue
      quote.locked += quantity * priceValue
    } else {
      quote.locked = Math.max(0, quote.locked - lastQuantity * priceValue)
      baseBalance.free += lastQuantity
    }
    this.emit({
      e: 'outboundAccountPosition',
      E: now,
      u: now,
      B: [
        { a: instrument.base, f: baseBalance.free.toFixed(8), l: baseBalance.locked.toFixed(8) },
        { a: instrument.quote, f: quote.free.toFixed(8), l: quote.locked.toFixed(8) },
      ],
    })
  }

  private emit(event: Record<string, unknown>): void {
    this.outbound.send(`{"subscriptionId":${this.subscriptionId},"event":${JSON.stringify(event)}}`)
  }

  private stopUserData(): void {
    if (this.userDataTimer !== null) clearTimeout(this.userDataTimer)
    this.userDataTimer = null
    this.subscriptionId = null
  }

  private dispose(): void {
    clearInterval(this.pingTimer)
    this.stopUserData()
  }
}
