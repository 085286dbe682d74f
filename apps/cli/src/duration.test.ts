import { describe, expect, it } from 'vitest'
import { formatDuration, parseDuration } from './duration'
import { UsageError } from './errors'

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['1.5s', 1_500],
    ['2', 2_000],
    [' 10S ', 10_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })

  it.each(['', 'abc', '10x', '-5s', '0s', 's', '5m garbage'])(
    'rejects %j with a usage error naming the flag',
    (text) => {
      expect(() => parseDuration(text, '--duration')).toThrow(UsageError)
      try {
        parseDuration(text, '--duration')
      } catch (error) {
        expect((error as UsageError).shortMessage).toContain('--duration')
        expect((error as UsageError).hint).toContain('30s')
      }
    },
  )
})

describe('formatDuration', () => {
  it('prints short human durations', () => {
    expect(formatDuration(250)).toBe('250ms')
    expect(formatDuration(1_500)).toBe('1.5s')
    expect(formatDuration(90_000)).toBe('1m30s')
    expect(formatDuration(3_600_000)).toBe('1h')
  })
})
