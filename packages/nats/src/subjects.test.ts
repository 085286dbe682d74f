import { describe, expect, it } from 'vitest'
import { messageIdOf } from './message-id'
import { eventMatcher, filterSubject, subjectOf, subjectToken } from './subjects'
import { bookEvent, statusEvent, tickerEvent, tradeEvent } from './test-support/test-events'

describe('subjects', () => {
  it('makes unified symbols subject-safe tokens', () => {
    expect(subjectToken('BTC/USDT')).toBe('BTC-USDT')
    expect(subjectToken('BTC/USDT:USDT')).toBe('BTC-USDT-USDT')
    expect(subjectToken('A.B*C>D E')).toBe('A_B_C_D_E')
    expect(subjectToken(null)).toBe('_')
  })

  it('names subjects tickmesh.<kind>.<venue>.<market>.<symbol>', () => {
    expect(subjectOf(tradeEvent(1))).toBe('tickmesh.trade.binance.spot.BTC-USDT')
    expect(subjectOf(bookEvent(1, 'ETH/USDT:USDT', { market: 'linear' }))).toBe(
      'tickmesh.book.binance.linear.ETH-USDT-USDT',
    )
    expect(subjectOf(tickerEvent(1), 'desk.tm')).toBe('desk.tm.ticker.okx.spot.BTC-USDT')
    expect(subjectOf(statusEvent(1))).toBe('tickmesh.status.bybit._._')
  })

  it('builds the narrowest single filter subject and a matcher for the rest', () => {
    expect(filterSubject()).toBe('tickmesh.*.*.*.*')
    expect(filterSubject({ kinds: ['trade'] })).toBe('tickmesh.trade.*.*.*')
    expect(filterSubject({ kinds: ['trade'], venues: ['okx'], symbols: ['BTC/USDT'] })).toBe(
      'tickmesh.trade.okx.*.BTC-USDT',
    )
    expect(filterSubject({ symbols: ['BTC/USDT', 'ETH/USDT'] })).toBe('tickmesh.*.*.*.*')
    // The AI worker's analyses share the prefix but not the shape.
    expect(filterSubject()).not.toMatch(/>$/)
    expect(eventMatcher({ kinds: ['trade'] })).toBeNull()
    const matcher = eventMatcher({ symbols: ['BTC/USDT', 'ETH/USDT'] })!
    expect(matcher(tradeEvent(1, 'ETH/USDT'))).toBe(true)
    expect(matcher(tradeEvent(1, 'SOL/USDT'))).toBe(false)
    expect(matcher(statusEvent(1))).toBe(false)
  })
})

describe('messageIdOf', () => {
  it('gives a trade the same id whenever it is received again (collector restart)', () => {
    const first = tradeEvent(7)
    const again = { ...first, receivedAt: first.receivedAt + 60_000 }
    expect(messageIdOf(again)).toBe(messageIdOf(first))
    expect(messageIdOf(tradeEvent(8))).not.toBe(messageIdOf(first))
  })

  it('never confuses two book states even when the venue restarts its sequence', () => {
    const before = bookEvent(1)
    const afterResync = bookEvent(1, 'BTC/USDT', { receivedAt: before.receivedAt + 5 })
    expect(messageIdOf(afterResync)).not.toBe(messageIdOf(before))
  })
})
