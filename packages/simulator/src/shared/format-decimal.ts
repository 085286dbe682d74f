import type { SimInstrument } from '../sim-types'

// Venue modules print prices and sizes from integer ticks/lots. Working in integers of 10^-decimals
// keeps the printed text exact (no `0.30000000000000004`), which a client's book sync depends on.

export interface FormatDecimalOptions {
  /** Decimals to print (default: the instrument's own). Larger pads with zeros (Binance prints 8). */
  decimals?: number
  /** Drop trailing zeros (and a trailing dot), as OKX and Bybit often print (`60000.1`). */
  trim?: boolean
}

/** `units` integer of `10^-decimals` → decimal text, e.g. (6000012, 2) → `60000.12`. */
export function formatUnits(units: number, decimals: number, trim = false): string {
  const negative = units < 0
  const digits = String(Math.abs(Math.round(units))).padStart(decimals + 1, '0')
  const whole = digits.slice(0, digits.length - decimals)
  let fraction = decimals > 0 ? digits.slice(digits.length - decimals) : ''
  if (trim) fraction = fraction.replace(/0+$/, '')
  const text = fraction.length > 0 ? `${whole}.${fraction}` : whole
  return negative ? `-${text}` : text
}

function stepUnits(step: number, decimals: number): number {
  return Math.round(step * 10 ** decimals)
}

function format(
  count: number,
  step: number,
  ownDecimals: number,
  options: FormatDecimalOptions | undefined,
): string {
  const decimals = Math.max(options?.decimals ?? ownDecimals, ownDecimals)
  return formatUnits(count * stepUnits(step, decimals), decimals, options?.trim ?? false)
}

/** A price in ticks as the venue prints it. */
export function formatPrice(
  instrument: SimInstrument,
  priceTicks: number,
  options?: FormatDecimalOptions,
): string {
  return format(priceTicks, instrument.tickSize, instrument.priceDecimals, options)
}

/** A size in lots as the venue prints it. */
export function formatSize(
  instrument: SimInstrument,
  sizeLots: number,
  options?: FormatDecimalOptions,
): string {
  return format(sizeLots, instrument.lotSize, instrument.sizeDecimals, options)
}

/** A price in ticks as a number (for venues that send numbers, and for stats). */
export function priceOf(instrument: SimInstrument, priceTicks: number): number {
  return Number(formatPrice(instrument, priceTicks))
}

/** A size in lots as a number. */
export function sizeOf(instrument: SimInstrument, sizeLots: number): number {
  return Number(formatSize(instrument, sizeLots))
}

/** A client's price text → ticks (rounded to the nearest tick), e.g. for synthetic private orders. */
export function toTicks(instrument: SimInstrument, price: string | number): number {
  return Math.round(Number(price) / instrument.tickSize)
}

/** A client's size text → lots (rounded to the nearest lot). */
export function toLots(instrument: SimInstrument, size: string | number): number {
  return Math.round(Number(size) / instrument.lotSize)
}
