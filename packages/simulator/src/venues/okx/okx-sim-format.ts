import { formatPrice, formatSize } from '../../shared/format-decimal'
import type { SimInstrument, SimLevel } from '../../sim-types'

// OKX prints prices and sizes without trailing zeros (`8477`, `3366.1`) and each level as
// `[px, sz, "0" (deprecated liquidated orders), numOrders]`. SWAP sizes are contracts.

export type OkxWireLevel = [string, string, string, string]

export function okxPx(instrument: SimInstrument, priceTicks: number): string {
  return formatPrice(instrument, priceTicks, { trim: true })
}

export function okxSz(instrument: SimInstrument, sizeLots: number): string {
  return formatSize(instrument, sizeLots, { trim: true })
}

/** A deterministic, plausible order count for a level (0 for a removed level). */
function orderCount(priceTicks: number, sizeLots: number): string {
  return sizeLots === 0 ? '0' : String(1 + ((priceTicks + sizeLots) % 9))
}

export function okxLevels(instrument: SimInstrument, levels: readonly SimLevel[]): OkxWireLevel[] {
  const result: OkxWireLevel[] = new Array(levels.length)
  for (let i = 0; i < levels.length; i++) {
    const [priceTicks, sizeLots] = levels[i]!
    result[i] = [
      okxPx(instrument, priceTicks),
      okxSz(instrument, sizeLots),
      '0',
      orderCount(priceTicks, sizeLots),
    ]
  }
  return result
}

/** The checksum input over the top 25 levels as printed, interleaved bid/ask. */
export function okxChecksumString(bids: readonly OkxWireLevel[], asks: readonly OkxWireLevel[]): string {
  const parts: string[] = []
  const rows = Math.max(Math.min(bids.length, 25), Math.min(asks.length, 25))
  for (let i = 0; i < rows; i++) {
    const bid = bids[i]
    if (bid) parts.push(bid[0], bid[1])
    const ask = asks[i]
    if (ask) parts.push(ask[0], ask[1])
  }
  return parts.join(':')
}

/** Base-currency units per contract; spot instruments have none. */
export function contractValueOf(instrument: SimInstrument): number {
  return instrument.contractValue ?? 1
}
