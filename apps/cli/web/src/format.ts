/** Number and time formatting for the tables, tolerant of null (shown as an en dash). */

const DASH = '–'

export function price(value: number | null): string {
  if (value === null) return DASH
  const abs = Math.abs(value)
  const digits = abs >= 1_000 ? 2 : abs >= 1 ? 4 : 6
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

export function fixed(value: number | null, digits: number): string {
  return value === null ? DASH : value.toFixed(digits)
}

export function size(value: number | null): string {
  if (value === null) return DASH
  return value.toLocaleString('en-US', { maximumFractionDigits: value >= 100 ? 0 : 4 })
}

export function millis(value: number | null): string {
  if (value === null) return DASH
  return value >= 10_000 ? `${(value / 1_000).toFixed(0)} s` : `${value.toFixed(0)} ms`
}

export function age(value: number | null): string {
  if (value === null) return DASH
  if (value < 1_000) return `${value.toFixed(0)} ms`
  if (value < 120_000) return `${(value / 1_000).toFixed(1)} s`
  return `${(value / 60_000).toFixed(0)} min`
}

export function clockTime(epochMs: number): string {
  const date = new Date(epochMs)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
}
