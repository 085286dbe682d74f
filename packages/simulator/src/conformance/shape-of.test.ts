import { describe, expect, it } from 'vitest'
import { readFixtureFrame } from '../../../../test-support/fixtures'
import { expectSameShape, shapeDifferences, shapeOf } from './shape-of'

describe('shapeOf', () => {
  it('describes keys and value types recursively, arrays by their first element', () => {
    expect(shapeOf({ b: [['1', '2']], a: 1, c: null, d: true, e: [] })).toEqual({
      a: 'number',
      b: [['string']],
      c: 'null',
      d: 'boolean',
      e: [],
    })
  })
})

describe('expectSameShape', () => {
  it('accepts a frame with other values but the same shape as the fixture', () => {
    const fixture = readFixtureFrame('binance', 'doc_trade.json')
    const parsed = JSON.parse(fixture) as Record<string, unknown>
    const changed = { ...parsed }
    for (const key of Object.keys(changed)) {
      const value = changed[key]
      if (typeof value === 'number') changed[key] = value + 1
      if (typeof value === 'string') changed[key] = `${value}x`
    }
    expect(() => expectSameShape(JSON.stringify(changed), fixture)).not.toThrow()
  })

  it('lists missing, extra and retyped fields', () => {
    const differences = shapeDifferences(
      shapeOf({ p: 1, x: 'y', d: [{ a: 1 }] }),
      shapeOf({ p: '1', q: 2, d: [{ a: '1' }] }),
    )
    expect(differences).toEqual([
      'd[].a: number vs string',
      'p: number vs string',
      'q: missing in simulator frame (fixture has number)',
      'x: extra in simulator frame (string), not in fixture',
    ])
    expect(() => expectSameShape({ p: 1 }, '{"p":"1"}')).toThrow(/p: number vs string/)
  })

  it('honours ignored paths and null wildcards', () => {
    expect(() =>
      expectSameShape({ p: 1, t: 'a' }, { p: 1, t: null }, { nullMatchesAnything: true }),
    ).not.toThrow()
    expect(() => expectSameShape({ p: 1, t: 'a' }, { p: 1, t: 2 }, { ignore: ['t'] })).not.toThrow()
  })
})
