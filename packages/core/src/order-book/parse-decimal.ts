/** Exact powers of ten: every `10 ** k` up to 22 is a double without rounding. */
const POWERS_OF_TEN: readonly number[] = Array.from({ length: 23 }, (_, exponent) => 10 ** exponent)

/** At most 15 digits keeps the digits' integer below 2^53, where it is exact. */
const FAST_PATH_MAX_LENGTH = 15

const ZERO = 48
const NINE = 57
const DOT = 46

/**
 * `+text` for a venue's decimal string, about twice as fast for the common short forms (`"0.35210000"`).
 * Plain digits with at most one dot and at most 15 characters are read as an exact integer and
 * divided once by an exact power of ten: one correctly rounded operation on exact operands, so the
 * result is the same double `+text` gives. Anything else (signs, exponents, spaces, long text, empty)
 * goes to `+text` itself, so the result is always identical to it (including `+'' === 0`).
 */
export function parseWireDecimal(text: string): number {
  const length = text.length
  if (length === 0 || length > FAST_PATH_MAX_LENGTH) return +text
  let digits = 0
  let fractionDigits = -1
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i)
    if (code >= ZERO && code <= NINE) {
      digits = digits * 10 + (code - ZERO)
      if (fractionDigits >= 0) fractionDigits++
    } else if (code === DOT && fractionDigits < 0) {
      fractionDigits = 0
    } else {
      return +text
    }
  }
  if (fractionDigits < 0) return digits
  // "1." or "." : leave the edge cases to the engine.
  if (fractionDigits === 0) return +text
  return digits / POWERS_OF_TEN[fractionDigits]!
}

/**
 * Whether `text` is digits with at most one inner dot (`/^\d+(\.\d+)?$/`: `"4.25"`, `"7"`, not
 * `".5"`, `"1."`, `"-1"` or `"1e5"`), the form venues send prices and sizes in; checked without a regex.
 */
export function isPlainDecimal(text: string): boolean {
  const length = text.length
  if (length === 0) return false
  let dots = 0
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i)
    if (code === DOT) {
      if (i === 0 || i === length - 1 || ++dots > 1) return false
    } else if (code < ZERO || code > NINE) {
      return false
    }
  }
  return true
}
