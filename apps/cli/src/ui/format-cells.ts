/** Fixed-width cell helpers for the terminal tables. */

export function priceCell(value: number | null, width = 12): string {
  if (value === null) return '-'.padStart(width)
  const magnitude = Math.abs(value)
  const decimals = magnitude >= 1_000 ? 2 : magnitude >= 1 ? 4 : 6
  return value.toFixed(decimals).padStart(width)
}

export function numberCell(value: number | null, decimals: number, width: number): string {
  return (value === null || !Number.isFinite(value) ? '-' : value.toFixed(decimals)).padStart(width)
}

export function compactCell(value: number | null, width: number): string {
  if (value === null || !Number.isFinite(value)) return '-'.padStart(width)
  const abs = Math.abs(value)
  const text =
    abs >= 1e9
      ? `${(value / 1e9).toFixed(2)}B`
      : abs >= 1e6
        ? `${(value / 1e6).toFixed(2)}M`
        : abs >= 1e3
          ? `${(value / 1e3).toFixed(2)}k`
          : value.toFixed(2)
  return text.padStart(width)
}

export function msCell(value: number | null, width: number): string {
  if (value === null || !Number.isFinite(value)) return '-'.padStart(width)
  if (value >= 10_000) return `${(value / 1_000).toFixed(0)}s`.padStart(width)
  if (value >= 1_000) return `${(value / 1_000).toFixed(1)}s`.padStart(width)
  return `${Math.round(value)}ms`.padStart(width)
}

export function elapsedText(ms: number): string {
  const total = Math.floor(ms / 1_000)
  const minutes = Math.floor(total / 60)
  const seconds = total % 60
  return minutes > 0 ? `${minutes}m${String(seconds).padStart(2, '0')}s` : `${seconds}s`
}
