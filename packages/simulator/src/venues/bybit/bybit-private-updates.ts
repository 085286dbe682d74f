import { formatPrice, formatSize } from '../../shared/index'
import type { SimInstrument, SimMarket } from '../../sim-types'

// Synthetic private updates for an authenticated `/v5/private` connection: a limit order walks
// New → PartiallyFilled → Filled on a rotating instrument, and the wallet moves with each fill.

interface OrderDraft {
  instrument: SimInstrument
  orderId: string
  side: 'Buy' | 'Sell'
  priceTicks: number
  qtyLots: number
  filledLots: number
  createdTime: number
}

const WALLET_START: Readonly<Record<string, number>> = { USDT: 100_000, BTC: 1, ETH: 10, SOL: 100 }

export class BybitPrivateUpdates {
  private step = 0
  private sequence = 0
  private order: OrderDraft | null = null
  private readonly balances = new Map<string, number>(Object.entries(WALLET_START))

  constructor(
    private readonly market: SimMarket,
    private readonly connId: string,
  ) {}

  /** The frames of the next step, for the private topics the client subscribed. */
  next(topics: ReadonlySet<string>): string[] {
    const frames: string[] = []
    const instruments = this.market.instruments('bybit')
    if (instruments.length === 0) return frames
    const now = this.market.now()
    if (this.order === null) {
      const instrument = instruments[this.sequence % instruments.length] as SimInstrument
      const top = this.market.book(instrument, 1)
      const side = this.sequence % 2 === 0 ? 'Buy' : 'Sell'
      const level = side === 'Buy' ? top.bids[0] : top.asks[0]
      this.order = {
        instrument,
        orderId: `17${String(1_000_000 + this.sequence).padStart(17, '0')}`,
        side,
        priceTicks: level?.[0] ?? 1,
        qtyLots: 10,
        filledLots: 0,
        createdTime: now,
      }
      this.step = 0
    }
    const order = this.order
    let status: string
    let fillLots = 0
    if (this.step === 0) status = 'New'
    else if (this.step === 1) {
      fillLots = 4
      status = 'PartiallyFilled'
    } else {
      fillLots = order.qtyLots - order.filledLots
      status = 'Filled'
    }
    order.filledLots += fillLots
    this.step++
    const orderTopic = `order.${order.instrument.market}`
    for (const topic of topics) {
      if (topic === 'order' || topic === orderTopic) frames.push(this.orderFrame(topic, order, status, now))
    }
    if (fillLots > 0) {
      this.applyFill(order, fillLots)
      if (topics.has('wallet')) frames.push(this.walletFrame(now))
    }
    if (status === 'Filled') {
      this.order = null
      this.sequence++
    }
    return frames
  }

  private applyFill(order: OrderDraft, fillLots: number): void {
    const instrument = order.instrument
    const quantity = Number(formatSize(instrument, fillLots))
    const notional = quantity * Number(formatPrice(instrument, order.priceTicks))
    const sign = order.side === 'Buy' ? 1 : -1
    if (instrument.market === 'spot') {
      this.balances.set(instrument.base, (this.balances.get(instrument.base) ?? 0) + sign * quantity)
    }
    this.balances.set(instrument.quote, (this.balances.get(instrument.quote) ?? 0) - sign * notional)
  }

  private orderFrame(topic: string, order: OrderDraft, status: string, now: number): string {
    const instrument = order.instrument
    const filled = formatSize(instrument, order.filledLots)
    const price = formatPrice(instrument, order.priceTicks)
    const leaves = formatSize(instrument, order.qtyLots - order.filledLots)
    return JSON.stringify({
      id: `${this.connId}-${this.sequence}-${this.step}`,
      topic,
      creationTime: now,
      data: [
        {
          category: instrument.market,
          symbol: instrument.venueSymbol,
          orderId: order.orderId,
          orderLinkId: `sim-${this.sequence}`,
          blockTradeId: '',
          side: order.side,
          positionIdx: 0,
          orderStatus: status,
          cancelType: 'UNKNOWN',
          rejectReason: 'EC_NoError',
          timeInForce: 'GTC',
          isLeverage: '',
          price,
          qty: formatSize(instrument, order.qtyLots),
          avgPrice: order.filledLots > 0 ? price : '',
          leavesQty: leaves,
          leavesValue: (Number(leaves) * Number(price)).toFixed(4),
          cumExecQty: filled,
          cumExecValue: (Number(filled) * Number(price)).toFixed(4),
          cumExecFee: '0',
          orderType: 'Limit',
          stopOrderType: '',
          orderIv: '',
          triggerPrice: '',
          takeProfit: '',
          stopLoss: '',
          triggerBy: '',
          tpTriggerBy: '',
          slTriggerBy: '',
          triggerDirection: 0,
          placeType: '',
          lastPriceOnCreated: price,
          closeOnTrigger: false,
          reduceOnly: false,
          smpGroup: 0,
          smpType: 'None',
          smpOrderId: '',
          slLimitPrice: '0',
          tpLimitPrice: '0',
          tpslMode: 'UNKNOWN',
          createType: 'CreateByUser',
          marketUnit: '',
          createdTime: String(order.createdTime),
          updatedTime: String(now),
          feeCurrency: '',
        },
      ],
    })
  }

  private walletFrame(now: number): string {
    const coins: Record<string, unknown>[] = []
    let total = 0
    for (const [coin, balance] of this.balances) {
      const text = balance.toFixed(8)
      total += coin === 'USDT' ? balance : 0
      coins.push({
        coin,
        equity: text,
        usdValue: coin === 'USDT' ? text : '0',
        walletBalance: text,
        availableToWithdraw: '',
        availableToBorrow: '',
        borrowAmount: '0',
        accruedInterest: '0',
        totalOrderIM: '0',
        totalPositionIM: '0',
        totalPositionMM: '0',
        unrealisedPnl: '0',
        cumRealisedPnl: '0',
        bonus: '0',
        collateralSwitch: true,
        marginCollateral: true,
        locked: '0',
        spotHedgingQty: '0',
      })
    }
    const totalText = total.toFixed(8)
    return JSON.stringify({
      id: `${this.connId}-wallet-${this.sequence}-${this.step}`,
      topic: 'wallet',
      creationTime: now,
      data: [
        {
          accountIMRate: '0',
          accountMMRate: '0',
          totalEquity: totalText,
          totalWalletBalance: totalText,
          totalMarginBalance: totalText,
          totalAvailableBalance: totalText,
          totalPerpUPL: '0',
          totalInitialMargin: '0',
          totalMaintenanceMargin: '0',
          coin: coins,
          accountLTV: '0',
          accountType: 'UNIFIED',
        },
      ],
    })
  }
}
