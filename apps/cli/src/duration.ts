import { UsageError } from './errors'

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y

/**
 * Parses a duration such as `30s`, `5m`, `1h30m`, `250ms` or `1.5s` into milliseconds. A bare number
 * is seconds. Throws a `UsageError` naming the flag for anything else.
 */
export function parseDuration(text: string, flag = '--duration'): number {
  const trimmed = text.trim().toLowerCase()
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return checked(Number(trimmed) * 1_000, text, flag)
  let total = 0
  let index = 0
  PART.lastIndex = 0
  while (index < trimmed.length) {
    PART.lastIndex = index
    const match = PART.exec(trimmed)
    if (match === null) return invalid(text, flag)
    total += Number(match[1]) * UNIT_MS[match[2]!]!
    index = PART.lastIndex
  }
  if (index === 0) return invalid(text, flag)
  return checked(total, text, flag)
}

/** `1500` → `1.5s`, `90000` → `1m30s`: the inverse of `parseDuration` for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(1))}s`
  const minutes = Math.floor(ms / 60_000)
  const seconds = Math.round((ms % 60_000) / 1_000)
  if (minutes < 60) return seconds === 0 ? `${minutes}m` : `${minutes}m${seconds}s`
  const hours = Math.floor(minutes / 60)
  return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`
}

function checked(ms: number, text: string, flag: string): number {
  if (!Number.isFinite(ms) || ms <= 0 || ms > 365 * UNIT_MS.d!) return invalid(text, flag)
  return Math.round(ms)
}

function invalid(text: string, flag: string): never {
  throw new UsageError(`${flag} "${text}" is not a duration.`, {
    hint: `Write it as a number with a unit, e.g. ${flag} 30s, 5m, 1h30m or 500ms (a bare number means seconds).`,
    details: { [flag]: text },
  })
}
