import { describe, expect, it } from 'vitest'
import { readFixtureFrame } from '../../../test-support/fixtures'
import { isBybitPong, parseBybitControl } from './bybit-control'

describe('parseBybitControl', () => {
  it('matches the spot ack (no req_id) and the linear ack (empty req_id) by order', () => {
    expect(parseBybitControl(readFixtureFrame('bybit', 'real_subscribe_ack_spot.json'))).toEqual({
      requestId: null,
      ok: true,
    })
    expect(parseBybitControl(readFixtureFrame('bybit', 'real_subscribe_ack_linear.json'))).toEqual({
      requestId: null,
      ok: true,
    })
  })

  it('keeps an echoed req_id', () => {
    expect(parseBybitControl(readFixtureFrame('bybit', 'doc_subscribe_response_public_spot.json'))).toEqual({
      requestId: '10001',
      ok: true,
    })
  })

  it('surfaces a refusal with the venue words (naming the topic)', () => {
    expect(
      parseBybitControl(readFixtureFrame('bybit', 'issue_error_subscribe_handler_not_found.json')),
    ).toEqual({
      requestId: 'dcp.future',
      ok: false,
      message: 'error:handler not found,topic:dcp.future',
    })
  })

  it('ignores pongs, auth replies and data', () => {
    expect(parseBybitControl(readFixtureFrame('bybit', 'doc_pong_public_spot.json'))).toBeNull()
    expect(parseBybitControl(readFixtureFrame('bybit', 'doc_auth_response.json'))).toBeNull()
    expect(parseBybitControl(readFixtureFrame('bybit', 'real_publicTrade_spot.json'))).toBeNull()
    expect(parseBybitControl('not json "op"')).toBeNull()
  })
})

describe('isBybitPong', () => {
  it.each([
    'doc_pong_public_spot.json',
    'doc_pong_public_linear.json',
    'doc_pong_private.json',
    'doc_pong_option_spread.json',
  ])('recognizes %s', (file) => {
    expect(isBybitPong(readFixtureFrame('bybit', file))).toBe(true)
  })

  it('does not take a ping request or a data frame for a pong', () => {
    expect(isBybitPong(readFixtureFrame('bybit', 'doc_ping_request.json'))).toBe(false)
    expect(isBybitPong(readFixtureFrame('bybit', 'real_publicTrade_spot.json'))).toBe(false)
  })
})
