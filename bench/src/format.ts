// Table and number formatting for the printed report (GitHub markdown, pasted into docs/performance.md).

export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`]
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`)
  return lines.join('\n')
}

/** 1234567 → "1.23 M", 12345 → "12.3 k". */
export function rate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return 'n/a'
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M`
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k`
  return perSecond.toFixed(0)
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a'
}

export function ns(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(0)} ns` : 'n/a'
}

export function micros(valueMs: number): string {
  return Number.isFinite(valueMs) ? `${(valueMs * 1000).toFixed(0)} µs` : 'n/a'
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

export function verdict(met: boolean): string {
  return met ? 'met' : '**not met**'
}
