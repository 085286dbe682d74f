import { createHash } from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'
import type { SimInstrument, SimLevel } from '../sim-types'
import { createSimMarket } from './create-sim-market'

function fixedClock(): () => number {
  let time = 1_700_000_000_000
  return () => (time += 50)
}

function streamHash(seed: number, ticks: number): string {
  const market = createSimMarket({ seed, clock: fixedClock() })
  const hash = createHash('sha256')
  market.onBook((change) => {
    hash.update(
      `B|${change.instrument.venue}|${change.instrument.venueSymbol}|${change.instrument.market}|${change.updateId}|${change.time}|${JSON.stringify(change.bids)}|${JSON.stringify(change.asks)}\n`,
    )
  })
  market.onTrade((trade) => {
    hash.update(
      `T|${trade.instrument.venue}|${trade.instrument.venueSymbol}|${trade.id}|${trade.priceTicks}|${trade.sizeLots}|${trade.side}|${trade.time}\n`,
    )
  })
  market.step(ticks)
  return hash.digest('hex')
}

/** A client-side book rebuilt from a snapshot plus the change stream. */
class ReplayBook {
  bids = new Map<number, number>()
  asks = new Map<number, number>()
  constructor(snapshot: { bids: SimLevel[]; asks: SimLevel[] }) {
    for (const [price, size] of snapshot.bids) this.bids.set(price, size)
    for (const [price, size] of snapshot.asks) this.asks.set(price, size)
  }
  apply(levels: readonly SimLevel[], side: Map<number, number>): void {
    for (const [price, size] of levels) {
      if (size === 0) side.delete(price)
      else side.set(price, size)
    }
  }
  bestBid(): number {
    return Math.max(...this.bids.keys())
  }
  bestAsk(): number {
    return Math.min(...this.asks.keys())
  }
  levels(isBid: boolean): SimLevel[] {
    const side = isBid ? this.bids : this.asks
    return [...side.entries()].sort(isBid ? (a, b) => b[0] - a[0] : (a, b) => a[0] - b[0])
  }
}

describe('createSimMarket', () => {
  it('replays the same book changes and trades for the same seed, and others for another seed', () => {
    const first = streamHash(7, 300)
    expect(streamHash(7, 300)).toBe(first)
    expect(streamHash(8, 300)).not.toBe(first)
  })

  it('quotes BTC, ETH and SOL on the four venues with the venue spellings', () => {
    const market = createSimMarket({ seed: 1 })
    expect(market.instruments('binance').map((i) => `${i.market}:${i.venueSymbol}`)).toEqual([
      'spot:BTCUSDT',
      'spot:ETHUSDT',
      'spot:SOLUSDT',
      'linear:BTCUSDT',
      'linear:ETHUSDT',
      'linear:SOLUSDT',
    ])
    expect(market.instruments('okx').map((i) => i.venueSymbol)).toContain('BTC-USDT-SWAP')
    expect(market.instruments('coinbase').map((i) => i.venueSymbol)).toEqual([
      'BTC-USD',
      'ETH-USD',
      'SOL-USD',
    ])
    expect(market.instrument('binance', 'BTCUSDT')?.market).toBe('spot')
    expect(market.instrument('binance', 'BTCUSDT', 'linear')?.symbol).toBe('BTC/USDT:USDT')
    expect(market.instrument('bybit', 'BTC/USDT:USDT')?.market).toBe('linear')
    expect(market.instrument('okx', 'BTC-USDT-SWAP')?.contractValue).toBe(0.01)
    expect(market.instrument('coinbase', 'BTC-USDT')).toBeUndefined()
    const btc = market.instrument('binance', 'BTCUSDT') as SimInstrument
    const book = market.book(btc)
    const mid = ((book.bids[0]?.[0] ?? 0) + (book.asks[0]?.[0] ?? 0)) / 2
    expect(mid * btc.tickSize).toBeGreaterThan(55_000)
    expect(mid * btc.tickSize).toBeLessThan(65_000)
  })

  it('keeps a sorted, uncrossed book of full depth that the change stream reproduces exactly', () => {
    const market = createSimMarket({ seed: 3 })
    const tracked = market.allInstruments()
    const replays = new Map<SimInstrument, ReplayBook>()
    const lastUpdate = new Map<SimInstrument, number>()
    for (const instrument of tracked) {
      const snapshot = market.book(instrument)
      replays.set(instrument, new ReplayBook(snapshot))
      lastUpdate.set(instrument, snapshot.updateId)
    }
    const lastTradeId = new Map<SimInstrument, number>()
    let trades = 0
    market.onTrade((trade) => {
      trades++
      const replay = replays.get(trade.instrument) as ReplayBook
      // The taker hits the best level of the book as it was.
      expect(trade.priceTicks).toBe(trade.side === 'buy' ? replay.bestAsk() : replay.bestBid())
      expect(trade.id).toBe((lastTradeId.get(trade.instrument) ?? 0) + 1)
      lastTradeId.set(trade.instrument, trade.id)
    })
    market.onBook((change) => {
      const replay = replays.get(change.instrument) as ReplayBook
      expect(change.updateId).toBe((lastUpdate.get(change.instrument) as number) + 1)
      lastUpdate.set(change.instrument, change.updateId)
      replay.apply(change.bids, replay.bids)
      replay.apply(change.asks, replay.asks)
    })
    market.step(400)
    expect(trades).toBeGreaterThan(100)
    for (const instrument of tracked) {
      const book = market.book(instrument)
      const depth = instrument.venue === 'okx' ? 400 : 300
      expect(book.bids).toHaveLength(depth)
      expect(book.asks).toHaveLength(depth)
      expect((book.bids[0] as SimLevel)[0]).toBeLessThan((book.asks[0] as SimLevel)[0])
      for (let index = 1; index < depth; index++) {
        expect((book.bids[index] as SimLevel)[0]).toBeLessThan((book.bids[index - 1] as SimLevel)[0])
        expect((book.asks[index] as SimLevel)[0]).toBeGreaterThan((book.asks[index - 1] as SimLevel)[0])
      }
      for (const [, size] of [...book.bids, ...book.asks]) expect(size).toBeGreaterThan(0)
      const replay = replays.get(instrument) as ReplayBook
      expect(replay.levels(true)).toEqual(book.bids)
      expect(replay.levels(false)).toEqual(book.asks)
      expect(market.book(instrument, 5).bids).toEqual(book.bids.slice(0, 5))
    }
  })

  it('tracks the true trade list (bounded) and 24h stats', () => {
    const market = createSimMarket({ seed: 5, tradeHistoryLimit: 50 })
    const btc = market.instrument('okx', 'BTC-USDT') as SimInstrument
    const before = market.stats24h(btc)
    let last = 0
    let count = 0
    market.onTrade((trade) => {
      if (trade.instrument !== btc) return
      last = trade.priceTicks
      count++
    })
    market.step(1_000)
    const trades = market.trades(btc)
    expect(count).toBeGreaterThan(50)
    expect(trades).toHaveLength(50)
    expect(trades.at(-1)?.id).toBe(count)
    const stats = market.stats24h(btc)
    expect(stats.lastTicks).toBe(last)
    expect(stats.baseVolumeLots).toBeGreaterThan(before.baseVolumeLots)
    expect(stats.highTicks).toBeGreaterThanOrEqual(stats.lastTicks)
    expect(stats.lowTicks).toBeLessThanOrEqual(stats.lastTicks)
  })

  it('dislocates a venue now and then so cross-venue arbitrage above 0.1% appears within a minute and closes', () => {
    // Seed 1 is the default seed of startSimulator and the demo.
    const market = createSimMarket({ seed: 1 })
    const spotBtc = market.allInstruments().filter((i) => i.base === 'BTC' && i.market === 'spot')
    const arbitrage = (): number => {
      let bestBid = 0
      let bestAsk = Number.POSITIVE_INFINITY
      for (const instrument of spotBtc) {
        const book = market.book(instrument, 1)
        bestBid = Math.max(bestBid, (book.bids[0]?.[0] ?? 0) * instrument.tickSize)
        bestAsk = Math.min(bestAsk, (book.asks[0]?.[0] ?? 0) * instrument.tickSize)
      }
      return bestBid / bestAsk - 1
    }
    let openedAt = -1
    for (let tick = 0; tick < 1_200 && openedAt < 0; tick++) {
      market.step()
      if (arbitrage() > 0.001) openedAt = tick
    }
    expect(openedAt).toBeGreaterThanOrEqual(0)
    expect(market.dislocation()).not.toBeNull()
    let closed = false
    for (let tick = 0; tick < 400 && !closed; tick++) {
      market.step()
      closed = arbitrage() < 0.0005
    }
    expect(closed).toBe(true)
  })

  it('runs ticks on a real timer until stopped', async () => {
    const market = createSimMarket({ seed: 2, tickIntervalMs: 5 })
    market.start()
    try {
      await vi.waitFor(() => expect(market.tickCount).toBeGreaterThanOrEqual(3), { timeout: 10_000 })
      expect(market.running).toBe(true)
    } finally {
      market.stop()
    }
    expect(market.running).toBe(false)
    const after = market.tickCount
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(market.tickCount).toBe(after)
  })

  it('rejects a non-integer seed with a ConfigError', () => {
    expect(() => createSimMarket({ seed: 1.5 })).toThrow(/seed must be an integer/)
  })
})
