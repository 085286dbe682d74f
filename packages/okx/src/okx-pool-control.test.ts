import { describe, expect, it } from 'vitest'
import { readFixtureFrame } from '../../../test-support/fixtures'
import { topicOfFrame } from './okx-channels'
import { parseOkxPoolControl } from './okx-pool-control'

describe('parseOkxPoolControl', () => {
  it('turns acks into ok controls naming the topic and id-carrying errors into refusals', () => {
    expect(parseOkxPoolControl(readFixtureFrame('okx', 'doc_subscribe_response.json'))).toEqual({
      requestId: '1512',
      ok: true,
      topics: ['tickers:BTC-USDT'],
    })
    // The 2022 ack has no id: the pool settles its oldest request.
    expect(parseOkxPoolControl(readFixtureFrame('okx', 'real_subscribe_ack.json'))).toMatchObject({
      requestId: null,
      ok: true,
    })
    expect(
      parseOkxPoolControl(readFixtureFrame('okx', 'doc_error_60012_invalid_request.json')),
    ).toMatchObject({
      requestId: '1512',
      ok: false,
    })
  })

  it('leaves data, pongs, notices, login results and id-less errors to the adapter', () => {
    expect(parseOkxPoolControl(readFixtureFrame('okx', 'doc_tickers.json'))).toBeNull()
    expect(parseOkxPoolControl('pong')).toBeNull()
    expect(parseOkxPoolControl(readFixtureFrame('okx', 'doc_notice_service_upgrade.json'))).toBeNull()
    expect(parseOkxPoolControl(readFixtureFrame('okx', 'doc_login_response_error.json'))).toBeNull()
    expect(parseOkxPoolControl('{"truncated":')).toBeNull()
  })

  it("keeps the adapter's own resync acks away from the pool's requests", () => {
    const control = parseOkxPoolControl(
      '{"id":"rss7","event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"}}',
    )
    expect(control?.requestId).toBe('ignored-rss7')
  })
})

describe('topicOfFrame', () => {
  it('reads the topic from the head of a data frame', () => {
    expect(topicOfFrame(readFixtureFrame('okx', 'doc_books_update_2026.json'))).toBe('books:BTC-USDT')
    expect(topicOfFrame(readFixtureFrame('okx', 'doc_candle1D.json'))).toBe('candle1D:BTC-USDT')
    expect(topicOfFrame('{"event":"login"}')).toBeNull()
  })
})
