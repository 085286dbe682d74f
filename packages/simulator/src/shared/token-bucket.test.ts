import { describe, expect, it } from 'vitest'
import { safeEqual } from './safe-equal'
import { TokenBucket } from './token-bucket'

describe('TokenBucket', () => {
  it('allows a burst of capacity, then refills over time', () => {
    let now = 0
    const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 5, now: () => now })
    for (let index = 0; index < 5; index++) expect(bucket.take()).toBe(true)
    expect(bucket.take()).toBe(false)
    now += 200
    expect(bucket.take()).toBe(true)
    expect(bucket.take()).toBe(false)
    now += 10_000
    expect(bucket.available).toBe(5)
  })
})

describe('safeEqual', () => {
  it('compares strings of any length', () => {
    expect(safeEqual('abc', 'abc')).toBe(true)
    expect(safeEqual('abc', 'abd')).toBe(false)
    expect(safeEqual('abc', 'abcd')).toBe(false)
  })
})
