const ISO_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/

/**
 * Coinbase times are ISO 8601 with up to microseconds (`2022-10-19T23:28:22.061769Z`). `Date.parse`
 * drops the microseconds, so the fraction is added separately to keep sub-millisecond precision.
 * Returns null for anything that is not such a time.
 */
export function parseCoinbaseTime(value: unknown): number | null {
  if (typeof value !== 'string') return null
  const match = ISO_TIME.exec(value)
  if (!match) return null
  const seconds = Date.parse(`${match[1]}Z`)
  if (!Number.isFinite(seconds)) return null
  const fraction = match[2]
  if (fraction === undefined) return seconds
  return seconds + Number.parseInt(fraction, 10) / 10 ** (fraction.length - 3)
}
