import { formatPrice, formatSize } from '../../shared/index'
import type { SimInstrument, SimLevel, SimStats24h } from '../../sim-types'

/** Ticker fields in the real key order: spot (no bid/ask) and linear (with funding, OI and bid/ask). */
export function tickerFields(
  category: 'spot' | 'linear',
  instrument: SimInstrument,
  stats: SimStats24h,
  bestBid: SimLevel | undefined,
  bestAsk: SimLevel | undefined,
  tickDirection: string,
  nextFundingTime: number,
): Record<string, string> {
  const price = (ticks: number) => formatPrice(instrument, ticks)
  const change = stats.openTicks === 0 ? 0 : (stats.lastTicks - stats.openTicks) / stats.openTicks
  const volume = formatSize(instrument, stats.baseVolumeLots)
  const turnover = stats.quoteVolume.toFixed(4)
  if (category === 'spot') {
    return {
      symbol: instrument.venueSymbol,
      lastPrice: price(stats.lastTicks),
      highPrice24h: price(stats.highTicks),
      lowPrice24h: price(stats.lowTicks),
      prevPrice24h: price(stats.openTicks),
      volume24h: volume,
      turnover24h: turnover,
      price24hPcnt: change.toFixed(4),
      usdIndexPrice: price(stats.lastTicks),
    }
  }
  const mid =
    bestBid !== undefined && bestAsk !== undefined
      ? Math.round((bestBid[0] + bestAsk[0]) / 2)
      : stats.lastTicks
  const openInterestLots = stats.baseVolumeLots * 3 + 1000
  const openInterest = formatSize(instrument, openInterestLots)
  const openInterestValue = (Number(openInterest) * Number(price(mid))).toFixed(2)
  return {
    symbol: instrument.venueSymbol,
    tickDirection,
    price24hPcnt: change.toFixed(6),
    lastPrice: price(stats.lastTicks),
    prevPrice24h: price(stats.openTicks),
    highPrice24h: price(stats.highTicks),
    lowPrice24h: price(stats.lowTicks),
    prevPrice1h: price(stats.openTicks),
    markPrice: price(mid),
    indexPrice: price(mid),
    openInterest,
    openInterestValue,
    turnover24h: turnover,
    volume24h: volume,
    fundingIntervalHour: '8',
    fundingCap: '0.005',
    singleOpenInterest: formatSize(instrument, Math.round(openInterestLots / 2)),
    singleOpenInterestValue: (Number(openInterestValue) / 2).toFixed(2),
    nextFundingTime: String(nextFundingTime),
    fundingRate: '0.0001',
    bid1Price: bestBid === undefined ? '' : price(bestBid[0]),
    bid1Size: bestBid === undefined ? '' : formatSize(instrument, bestBid[1]),
    ask1Price: bestAsk === undefined ? '' : price(bestAsk[0]),
    ask1Size: bestAsk === undefined ? '' : formatSize(instrument, bestAsk[1]),
    preOpenPrice: '',
    preQty: '',
    curPreListingPhase: '',
  }
}
