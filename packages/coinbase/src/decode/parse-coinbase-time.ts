const ISO_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/

/** `10 ** (digits - 3)` per fraction length: divides the fraction's integer into milliseconds. */
const FRACTION_DIVISORS = Array.from({ length: 10 }, (_, digits) => 10 ** (digits - 3))

/** Length of `YYYY-MM-DDTHH:MM:SS`. */
const SECONDS_LENGTH = 19
const ZERO = 48
const NINE = 57
const DOT = 46
const LETTER_Z = 90

/*
 * Consecutive frames carry times within the same second, so the whole-second part (validated and
 * parsed by the regex and `Date.parse` once) is remembered and later times only parse the fraction.
 */
let cachedSecondsText = ''
let cachedSeconds = 0

/**
 * Coinbase times are ISO 8601 with up to microseconds (`2022-10-19T23:28:22.061769Z`). `Date.parse`
 * drops the microseconds, so the fraction is added separately to keep sub-millisecond precision.
 * Returns null for anything that is not such a time.
 */
export function parseCoinbaseTime(value: unknown): number | null {
  if (typeof value !== 'string') return null
  if (cachedSecondsText.length === 0 || !value.startsWith(cachedSecondsText)) return parseSlow(value)
  const length = value.length
  if (length === SECONDS_LENGTH + 1)
    return value.charCodeAt(SECONDS_LENGTH) === LETTER_Z ? cachedSeconds : null
  const digits = length - SECONDS_LENGTH - 2
  if (
    digits < 1 ||
    digits > 9 ||
    value.charCodeAt(SECONDS_LENGTH) !== DOT ||
    value.charCodeAt(length - 1) !== LETTER_Z
  ) {
    return null
  }
  let fraction = 0
  for (let i = SECONDS_LENGTH + 1; i < length - 1; i++) {
    const code = value.charCodeAt(i)
    if (code < ZERO || code > NINE) return null
    fraction = fraction * 10 + (code - ZERO)
  }
  return cachedSeconds + fraction / FRACTION_DIVISORS[digits]!
}

function parseSlow(value: string): number | null {
  const match = ISO_TIME.exec(value)
  if (!match) return null
  const secondsText = match[1]!
  const seconds = Date.parse(`${secondsText}Z`)
  if (!Number.isFinite(seconds)) return null
  cachedSecondsText = secondsText
  cachedSeconds = seconds
  const fraction = match[2]
  if (fraction === undefined) return seconds
  return seconds + Number.parseInt(fraction, 10) / 10 ** (fraction.length - 3)
}
