import { describe, expect, it } from 'vitest'
import { safeParseJson, toNullableNumber, toNumber } from './safe-json'

describe('safeParseJson', () => {
  it('returns the value on success and the error on failure, never throwing', () => {
    expect(safeParseJson('{"a":[1,"2"]}')).toEqual({ success: true, value: { a: [1, '2'] } })
    const failed = safeParseJson('{"a":')
    expect(failed.success).toBe(false)
    if (!failed.success) expect(failed.error).toBeInstanceOf(SyntaxError)
    expect(safeParseJson('').success).toBe(false)
  })
})

describe('toNumber / toNullableNumber', () => {
  it('parses wire decimals and numbers', () => {
    expect(toNumber('30000.10')).toBe(30000.1)
    expect(toNumber(5)).toBe(5)
    expect(toNumber('1e-8')).toBe(1e-8)
  })

  it('gives NaN (toNumber) or null (toNullableNumber) for missing or bad values', () => {
    for (const value of ['', 'abc', null, undefined, {}, true]) {
      expect(toNumber(value)).toBeNaN()
      expect(toNullableNumber(value)).toBeNull()
    }
    expect(toNullableNumber('0')).toBe(0)
    expect(toNullableNumber(Number.POSITIVE_INFINITY)).toBeNull()
  })
})
