import { ConfigError } from '@tickmesh/core'

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** Parses `1500ms`, `30s`, `5m`, `1.5h`, `1d` into milliseconds. A bare number is refused as ambiguous. */
export function parseDuration(text: string, what = 'duration'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/i.exec(text)
  if (match === null) {
    throw new ConfigError(`Invalid ${what} "${text}".`, {
      details: { value: text },
      hint: 'Write a number with a unit: 500ms, 30s, 5m, 1h or 1d.',
    })
  }
  const amount = Number(match[1])
  const unit = UNIT_MS[match[2]!.toLowerCase()]!
  return Math.round(amount * unit)
}

/** `300000` → `5m`, for messages and summaries. */
export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`
  if (ms % 1_000 === 0 && ms > 0) return `${ms / 1_000}s`
  return `${ms}ms`
}
