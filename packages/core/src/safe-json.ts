export type SafeParseResult<T = unknown> = { success: true; value: T } | { success: false; error: Error }

/** `JSON.parse` that returns its failure instead of throwing: the receive loop must never throw. */
export function safeParseJson<T = unknown>(text: string): SafeParseResult<T> {
  try {
    return { success: true, value: JSON.parse(text) as T }
  } catch (error) {
    return { success: false, error: error instanceof Error ? error : new Error(String(error)) }
  }
}

/** Parses a decimal string or number from the wire; NaN for anything else (callers check). */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value
  if (typeof value === 'string' && value.length > 0) return +value
  return Number.NaN
}

/** Like `toNumber` but `null` for missing/empty/invalid values. */
export function toNullableNumber(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null
  const number = toNumber(value)
  return Number.isFinite(number) ? number : null
}
