import { describe, expect, it } from 'vitest'
import { readFixture, readFixtureFrame, readFixtureLines } from '../../../../test-support/fixtures'
import { isSensitiveFrame, redactUrl } from './is-sensitive-frame'

describe('isSensitiveFrame', () => {
  it.each([
    ['binance', 'doc_wsapi_session_logon_request.json'],
    ['binance', 'doc_wsapi_signed_request_hmac_testvector.json'],
    ['binance', 'doc_wsapi_signed_request_ed25519_testvector.json'],
    ['bybit', 'doc_auth_request.json'],
    ['okx', 'doc_login_request.json'],
    ['coinbase', 'doc_auth_subscribe_request.json'],
  ])('drops the %s auth request %s', (venue, file) => {
    expect(isSensitiveFrame(readFixtureFrame(venue, file))).toBe(true)
    expect(isSensitiveFrame(readFixture(venue, file))).toBe(true) // pretty-printed too
  })

  it('drops the auth frames embedded in derived vectors and login answers', () => {
    const bybit = JSON.parse(readFixture('bybit', 'derived_auth_test_vector.json')) as {
      auth_message: unknown
    }
    expect(isSensitiveFrame(JSON.stringify(bybit.auth_message))).toBe(true)
    expect(isSensitiveFrame(readFixtureFrame('okx', 'doc_login_response_success.json'))).toBe(true)
    expect(isSensitiveFrame(readFixtureFrame('bybit', 'doc_auth_response.json'))).toBe(true)
  })

  it.each([
    ['binance', 'doc_depthUpdate.json'],
    ['binance', 'doc_subscribe_request.json'],
    ['binance', 'real_aggTrade_combined.json'],
    ['bybit', 'doc_orderbook_50_delta_linear.json'],
    ['bybit', 'doc_subscribe_request.json'],
    ['okx', 'doc_books_update_2026.json'],
    ['okx', 'doc_subscribe_request.json'],
    ['coinbase', 'doc_l2update_multiple.json'],
    ['coinbase', 'doc_ticker.json'],
  ])('keeps the market-data frame %s %s', (venue, file) => {
    expect(isSensitiveFrame(readFixtureFrame(venue, file))).toBe(false)
  })

  it('keeps every real public subscribe request of every venue', () => {
    for (const [venue, file] of [
      ['bybit', 'real_subscribe_requests_linear_and_spot.jsonl'],
      ['okx', 'real_subscribe_requests.jsonl'],
      ['coinbase', 'real_subscribe_requests.jsonl'],
    ] as const) {
      for (const line of readFixtureLines(venue, file)) expect(isSensitiveFrame(line)).toBe(false)
    }
  })

  it('drops unparseable text that mentions credentials, keeps other non-JSON text', () => {
    expect(isSensitiveFrame('apiKey=abc&signature=def')).toBe(true)
    expect(isSensitiveFrame('pong')).toBe(false)
    expect(isSensitiveFrame('{"params":{"nested":[{"deep":{"Signature":"x"}}]}}')).toBe(true)
  })
})

describe('redactUrl', () => {
  it('replaces credential query parameters and keeps the rest', () => {
    expect(
      redactUrl(
        'https://api.binance.com/api/v3/account?timestamp=1&apiKey=abcd&signature=ff00&recvWindow=5000',
      ),
    ).toBe(
      'https://api.binance.com/api/v3/account?timestamp=1&apiKey=REDACTED&signature=REDACTED&recvWindow=5000',
    )
    expect(redactUrl('wss://stream.binance.com:9443/stream')).toBe('wss://stream.binance.com:9443/stream')
  })
})
