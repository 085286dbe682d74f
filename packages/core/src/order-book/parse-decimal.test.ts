import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isPlainDecimal, parseWireDecimal } from './parse-decimal'

describe('parseWireDecimal', () => {
  it('gives exactly the double unary plus gives, for wire decimals and for garbage', () => {
    const samples = [
      '0.35210000',
      '672.00000000',
      '0.00001305',
      '985',
      '0',
      '0.0',
      '999999999999999',
      '99999999999999.9',
      '9007199254740993',
      '12345678.12345678',
      '0.1',
      '0.3',
      '1.',
      '.5',
      '.',
      '1e5',
      '-1',
      '+1',
      ' 1',
      '1 ',
      '1.2.3',
      'abc',
      '',
      'Infinity',
      '0x10',
    ]
    for (const text of samples) expect(Object.is(parseWireDecimal(text), +text), text).toBe(true)
  })

  it('matches unary plus on random decimals of every length', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{1,12}$/),
        fc.option(fc.stringMatching(/^\d{0,12}$/)),
        (whole, fraction) => {
          const text = fraction === null ? whole : `${whole}.${fraction}`
          expect(Object.is(parseWireDecimal(text), +text)).toBe(true)
        },
      ),
      { numRuns: 5000 },
    )
  })
})

describe('isPlainDecimal', () => {
  it('matches /^\\d+(\\.\\d+)?$/ exactly', () => {
    const pattern = /^\d+(\.\d+)?$/
    const samples = [
      '4.25',
      '7',
      '0.0001',
      '.5',
      '1.',
      '1..2',
      '1.2.3',
      '-1',
      '+1',
      '1e5',
      ' 1',
      '1 ',
      '',
      '.',
      'abc',
    ]
    for (const text of samples) expect(isPlainDecimal(text), text).toBe(pattern.test(text))
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9.e-]{0,8}$/), (text) => {
        expect(isPlainDecimal(text)).toBe(pattern.test(text))
      }),
      { numRuns: 3000 },
    )
  })
})
