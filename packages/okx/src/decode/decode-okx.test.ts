import { type MarketEvent, marketEventSchema } from '@tickmesh/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readFixture, readFixtureFrame, readFixtureLines } from '../../../../test-support/fixtures'
import { decode, decodeOkx } from './decode-okx'
import { parseOkxControl } from './okx-control'
import type { OkxDecodeContext } from './okx-decode-context'
import { parseOkxBookMessage } from './parse-okx-book'

const receivedAt = 1_700_000_000_123.5
const spot: OkxDecodeContext = { market: 'spot', receivedAt }

function decodeFixture(file: string, context: OkxDecodeContext = spot): MarketEvent[] {
  const events = decodeOkx(readFixtureFrame('okx', file), context)
  for (const event of events) marketEventSchema.parse(event)
  return events
}

describe('decodeOkx: public channels from the fixtures', () => {
  it('exports the same function as decode', () => {
    expect(decode).toBe(decodeOkx)
  })

  it('doc_tickers → one spot ticker with every field', () => {
    expect(decodeFixture('doc_tickers.json')).toEqual([
      {
        kind: 'ticker',
        venue: 'okx',
        market: 'spot',
        symbol: 'BTC/USDT',
        venueSymbol: 'BTC-USDT',
        exchangeTime: 1597026383085,
        receivedAt,
        last: 9999.99,
        bid: 8888.88,
        bidSize: 5,
        ask: 9999.99,
        askSize: 11,
        open24h: 9000,
        high24h: 10000,
        low24h: 8888.88,
        baseVolume24h: 2222,
        quoteVolume24h: 2222,
      },
    ])
  })

  it('real_tickers (2022 capture) → base volume from vol24h, quote volume from volCcy24h', () => {
    expect(decodeFixture('real_tickers_BTC-USDT.json')).toEqual([
      {
        kind: 'ticker',
        venue: 'okx',
        market: 'spot',
        symbol: 'BTC/USDT',
        venueSymbol: 'BTC-USDT',
        exchangeTime: 1652459224956,
        receivedAt,
        last: 30236,
        bid: 30228.6,
        bidSize: 0.23393,
        ask: 30228.7,
        askSize: 1.55896972,
        open24h: 29700.4,
        high24h: 31073,
        low24h: 28020.3,
        baseVolume24h: 17602.13085371,
        quoteVolume24h: 525802090.6271661,
      },
    ])
  })

  it('a SWAP ticker takes base volume from volCcy24h and scales sizes by the contract value', () => {
    const frame = JSON.stringify({
      arg: { channel: 'tickers', instId: 'BTC-USDT-SWAP' },
      data: [
        {
          instType: 'SWAP',
          instId: 'BTC-USDT-SWAP',
          last: '30000.1',
          lastSz: '3',
          askPx: '30000.2',
          askSz: '7',
          bidPx: '30000.1',
          bidSz: '12',
          open24h: '29000',
          high24h: '31000',
          low24h: '28000',
          volCcy24h: '1234.5',
          vol24h: '123450',
          sodUtc0: '1',
          sodUtc8: '1',
          ts: '1652459224956',
        },
      ],
    })
    const [event] = decodeOkx(frame, {
      ...spot,
      contractValueOf: (id) => (id === 'BTC-USDT-SWAP' ? 0.01 : undefined),
    })
    expect(event).toMatchObject({
      kind: 'ticker',
      market: 'linear',
      symbol: 'BTC/USDT:USDT',
      venueSymbol: 'BTC-USDT-SWAP',
      bidSize: 0.12,
      askSize: 0.07,
      baseVolume24h: 1234.5,
      quoteVolume24h: null,
    })
  })

  it('doc_trades → one buy trade', () => {
    expect(decodeFixture('doc_trades.json')).toEqual([
      {
        kind: 'trade',
        venue: 'okx',
        market: 'spot',
        symbol: 'BTC/USDT',
        venueSymbol: 'BTC-USDT',
        exchangeTime: 1630048897897,
        receivedAt,
        id: '130639474',
        price: 42219.9,
        amount: 0.12060306,
        side: 'buy',
      },
    ])
  })

  it('real_trades (2022, without count/source/seqId) → one trade', () => {
    expect(decodeFixture('real_trades_BTC-USDT.json')).toEqual([
      {
        kind: 'trade',
        venue: 'okx',
        market: 'spot',
        symbol: 'BTC/USDT',
        venueSymbol: 'BTC-USDT',
        exchangeTime: 1652459224818,
        receivedAt,
        id: '338476307',
        price: 30236,
        amount: 0.0002,
        side: 'buy',
      },
    ])
  })

  it('doc_bbo-tbt (BCH-USDT-SWAP) → bbo in contracts without a contract value, in BCH with one', () => {
    const base = {
      kind: 'bbo',
      venue: 'okx',
      market: 'linear',
      symbol: 'BCH/USDT:USDT',
      venueSymbol: 'BCH-USDT-SWAP',
      exchangeTime: 1670324386802,
      receivedAt,
      bidPrice: 111.05,
      askPrice: 111.06,
    }
    expect(decodeFixture('doc_bbo-tbt.json')).toEqual([{ ...base, bidSize: 57745, askSize: 55154 }])
    expect(decodeFixture('doc_bbo-tbt.json', { ...spot, contractValueOf: () => 0.1 })).toEqual([
      { ...base, bidSize: 5774.5, askSize: 5515.4 },
    ])
  })

  it('real_bbo-tbt (2022, no seqId) → bbo', () => {
    expect(decodeFixture('real_bbo-tbt_BTC-USDT.json')).toEqual([
      {
        kind: 'bbo',
        venue: 'okx',
        market: 'spot',
        symbol: 'BTC/USDT',
        venueSymbol: 'BTC-USDT',
        exchangeTime: 1654032991947,
        receivedAt,
        bidPrice: 31774.6,
        bidSize: 0.3392211,
        askPrice: 31774.7,
        askSize: 0.14368878,
      },
    ])
  })

  it('doc_books5 → a 5-level snapshot book event', () => {
    expect(decodeFixture('doc_books5.json')).toEqual([
      {
        kind: 'book',
        venue: 'okx',
        market: 'linear',
        symbol: 'BCH/USDT:USDT',
        venueSymbol: 'BCH-USDT-SWAP',
        exchangeTime: 1670324386802,
        receivedAt,
        bids: [
          [111.05, 57745],
          [111.04, 57109],
          [111.03, 69563],
          [111.02, 71248],
          [111.01, 65090],
        ],
        asks: [
          [111.06, 55154],
          [111.07, 53276],
          [111.08, 72435],
          [111.09, 70312],
          [111.1, 67272],
        ],
        sequence: 363996337,
        isSnapshot: true,
      },
    ])
  })

  it('doc_candle1D (9 fields, confirm "0") → an open daily candle', () => {
    expect(decodeFixture('doc_candle1D.json')).toEqual([
      {
        kind: 'candle',
        venue: 'okx',
        market: 'spot',
        symbol: 'BTC/USDT',
        venueSymbol: 'BTC-USDT',
        exchangeTime: 1597026383085,
        receivedAt,
        interval: '1d',
        openTime: 1597026383085,
        open: 8533.02,
        high: 8553.74,
        low: 8527.17,
        close: 8548.26,
        volume: 45247,
        closed: false,
      },
    ])
  })

  it('real_candle1m (2022 7-field form) → a 1m candle, not closed', () => {
    expect(decodeFixture('real_candle1m_BTC-USDT.json')).toEqual([
      {
        kind: 'candle',
        venue: 'okx',
        market: 'spot',
        symbol: 'BTC/USDT',
        venueSymbol: 'BTC-USDT',
        exchangeTime: 1654154580000,
        receivedAt,
        interval: '1m',
        openTime: 1654154580000,
        open: 29930.7,
        high: 29936.3,
        low: 29930.7,
        close: 29936.3,
        volume: 0.0111536,
        closed: false,
      },
    ])
  })

  it('a confirmed SWAP candle uses volCcy (base) as volume and closed = true', () => {
    const frame = JSON.stringify({
      arg: { channel: 'candle1H', instId: 'ETH-USDT-SWAP' },
      data: [['1700000000000', '2000', '2010', '1990', '2005', '5000', '50', '100000', '1']],
    })
    expect(decodeOkx(frame, spot)).toMatchObject([
      { kind: 'candle', interval: '1h', symbol: 'ETH/USDT:USDT', volume: 50, closed: true },
    ])
  })
})

describe('decodeOkx: books need the sync; parseOkxBookMessage keeps the raw strings', () => {
  it('books snapshot/update produce no events from the stateless decoder', () => {
    expect(decodeFixture('doc_books_snapshot_2026.json')).toEqual([])
    expect(decodeFixture('doc_books_update_2026.json')).toEqual([])
    expect(decodeFixture('doc_books_snapshot_pre2026-06_with_checksum.json')).toEqual([])
  })

  it('doc_books_snapshot_2026 parses to raw levels, seqId 123456, prevSeqId -1, checksum 0', () => {
    const parsed = parseOkxBookMessage(JSON.parse(readFixture('okx', 'doc_books_snapshot_2026.json')))
    expect(parsed.success).toBe(true)
    if (!parsed.success) return
    expect(parsed.updates).toHaveLength(1)
    const update = parsed.updates[0]!
    expect(update).toMatchObject({
      channel: 'books',
      instId: 'BTC-USDT',
      action: 'snapshot',
      seqId: 123456,
      prevSeqId: -1,
      checksum: 0,
      ts: 1597026383085,
    })
    expect(update.asks[0]).toEqual(['8476.98', '415'])
    expect(update.asks[1]).toEqual(['8477', '7'])
    expect(update.bids).toHaveLength(8)
    expect(update.bids[7]).toEqual(['8446', '95'])
  })

  it('doc_books_update_2026 parses as an update chained on 123456', () => {
    const parsed = parseOkxBookMessage(JSON.parse(readFixture('okx', 'doc_books_update_2026.json')))
    expect(parsed).toMatchObject({
      success: true,
      updates: [{ action: 'update', prevSeqId: 123456, seqId: 123457 }],
    })
  })

  it('keeps the pre-2026-06 checksum as a signed int', () => {
    const parsed = parseOkxBookMessage(
      JSON.parse(readFixture('okx', 'doc_books_snapshot_pre2026-06_with_checksum.json')),
    )
    expect(parsed).toMatchObject({ success: true, updates: [{ checksum: -855196043 }] })
  })

  it('rejects non-numeric levels and a bad action', () => {
    expect(
      parseOkxBookMessage({
        arg: { channel: 'books', instId: 'BTC-USDT' },
        action: 'snapshot',
        data: [{ asks: [['x', '1']] }],
      }).success,
    ).toBe(false)
    expect(
      parseOkxBookMessage({ arg: { channel: 'books', instId: 'BTC-USDT' }, action: 'nope', data: [] })
        .success,
    ).toBe(false)
  })
})

describe('control frames', () => {
  it('acks, login, notice and connection counts are no market events; errors are error events', () => {
    expect(decodeFixture('doc_subscribe_response.json')).toEqual([])
    expect(decodeFixture('doc_unsubscribe_response.json')).toEqual([])
    expect(decodeFixture('real_subscribe_ack.json')).toEqual([])
    expect(decodeFixture('doc_login_response_success.json')).toEqual([])
    expect(decodeFixture('doc_notice_service_upgrade.json')).toEqual([])
    expect(decodeFixture('doc_channel_conn_count.json')).toEqual([])
    expect(decodeOkx('pong', spot)).toEqual([])
    const [invalid] = decodeFixture('doc_error_60012_invalid_request.json')
    expect(invalid).toMatchObject({ kind: 'error', code: 'SUBSCRIPTION_ERROR', venue: 'okx' })
    expect(invalid?.kind === 'error' && invalid.message).toContain('60012')
    const [login] = decodeFixture('doc_login_response_error.json')
    expect(login).toMatchObject({ kind: 'error', code: 'AUTHENTICATION_ERROR' })
  })

  it('parseOkxControl recognizes each control fixture', () => {
    expect(parseOkxControl('pong')).toEqual({ type: 'pong' })
    expect(parseOkxControl(readFixtureFrame('okx', 'doc_subscribe_response.json'))).toEqual({
      type: 'subscribe',
      id: '1512',
      topic: 'tickers:BTC-USDT',
      connId: 'accb8e21',
    })
    expect(parseOkxControl(readFixtureFrame('okx', 'real_subscribe_ack.json'))).toEqual({
      type: 'subscribe',
      id: null,
      topic: 'tickers:BTC-USD-220527',
      connId: null,
    })
    expect(parseOkxControl(readFixtureFrame('okx', 'doc_unsubscribe_response.json'))).toMatchObject({
      type: 'unsubscribe',
      topic: 'tickers:BTC-USDT',
    })
    expect(parseOkxControl(readFixtureFrame('okx', 'doc_error_60012_invalid_request.json'))).toMatchObject({
      type: 'error',
      id: '1512',
      code: '60012',
    })
    expect(parseOkxControl(readFixtureFrame('okx', 'doc_login_response_success.json'))).toEqual({
      type: 'login',
      code: '0',
      msg: '',
      connId: 'a4d3ae55',
    })
    expect(parseOkxControl(readFixtureFrame('okx', 'doc_login_response_error.json'))).toMatchObject({
      type: 'error',
      code: '60009',
      msg: 'Login failed.',
    })
    expect(parseOkxControl(readFixtureFrame('okx', 'doc_notice_service_upgrade.json'))).toMatchObject({
      type: 'notice',
      code: '64008',
    })
    expect(parseOkxControl(readFixtureFrame('okx', 'doc_channel_conn_count.json'))).toMatchObject({
      type: 'channel-conn-count',
      channel: 'orders',
      connCount: 2,
    })
    expect(parseOkxControl(readFixtureFrame('okx', 'doc_tickers.json'))).toBeNull()
  })
})

describe('private channels', () => {
  it('orders → order events with status mapped and SWAP sizes in base units', () => {
    const frame = JSON.stringify({
      arg: { channel: 'orders', instType: 'ANY', uid: '1' },
      data: [
        {
          instType: 'SWAP',
          instId: 'BTC-USDT-SWAP',
          ordId: '312269865356374016',
          clOrdId: 'b1',
          px: '30000',
          sz: '5',
          ordType: 'limit',
          side: 'buy',
          accFillSz: '2',
          avgPx: '29999.5',
          state: 'partially_filled',
          uTime: '1597026383085',
        },
        {
          instId: 'BTC-USDT',
          ordId: '2',
          clOrdId: '',
          px: '',
          sz: '0.1',
          ordType: 'market',
          side: 'sell',
          accFillSz: '0',
          avgPx: '',
          state: 'live',
          uTime: '1',
        },
      ],
    })
    const events = decodeOkx(frame, { ...spot, contractValueOf: () => 0.01 })
    for (const event of events) marketEventSchema.parse(event)
    expect(events).toEqual([
      {
        kind: 'order',
        venue: 'okx',
        market: 'linear',
        symbol: 'BTC/USDT:USDT',
        venueSymbol: 'BTC-USDT-SWAP',
        exchangeTime: 1597026383085,
        receivedAt,
        orderId: '312269865356374016',
        clientOrderId: 'b1',
        side: 'buy',
        type: 'limit',
        status: 'partially_filled',
        price: 30000,
        amount: 0.05,
        filled: 0.02,
        averagePrice: 29999.5,
      },
      {
        kind: 'order',
        venue: 'okx',
        market: 'spot',
        symbol: 'BTC/USDT',
        venueSymbol: 'BTC-USDT',
        exchangeTime: 1,
        receivedAt,
        orderId: '2',
        clientOrderId: null,
        side: 'sell',
        type: 'market',
        status: 'new',
        price: null,
        amount: 0.1,
        filled: 0,
        averagePrice: null,
      },
    ])
  })

  it('account → one balance event per currency', () => {
    const frame = JSON.stringify({
      arg: { channel: 'account', uid: '1' },
      data: [
        {
          uTime: '1597026383085',
          totalEq: '41624.32',
          details: [
            {
              ccy: 'USDT',
              availBal: '1000.5',
              frozenBal: '20',
              cashBal: '1020.5',
              eq: '1020.5',
              uTime: '1597026383085',
            },
            {
              ccy: 'BTC',
              availBal: '0.5',
              frozenBal: '0',
              cashBal: '0.5',
              eq: '0.5',
              uTime: '1597026383000',
            },
          ],
        },
      ],
    })
    const events = decodeOkx(frame, spot)
    for (const event of events) marketEventSchema.parse(event)
    expect(events).toEqual([
      {
        kind: 'balance',
        venue: 'okx',
        market: 'spot',
        asset: 'USDT',
        free: 1000.5,
        locked: 20,
        exchangeTime: 1597026383085,
        receivedAt,
      },
      {
        kind: 'balance',
        venue: 'okx',
        market: 'spot',
        asset: 'BTC',
        free: 0.5,
        locked: 0,
        exchangeTime: 1597026383000,
        receivedAt,
      },
    ])
  })
})

describe('decodeOkx is total', () => {
  const bad = [
    '',
    'ping',
    '{',
    '{"arg":{"channel":"tickers","instId":"BTC-USDT"},"data":[{"last":',
    '[]',
    'null',
    '42',
    '{}',
    '{"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"px":"abc","sz":"1","side":"buy","tradeId":"1"}]}',
    '{"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"px":"1","sz":"1","side":"up","tradeId":"1"}]}',
    '{"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[7]}',
    '{"arg":{"channel":"tickers"},"data":"x"}',
    '{"arg":{"channel":"candle1m","instId":"BTC-USDT"},"data":[["1","x","1","1","1","1"]]}',
    '{"arg":{"channel":"candle1m","instId":"BTC-USDT"},"data":[["1"]]}',
    '{"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":[[1,2]],"bids":[]}]}',
    '{"arg":{"channel":"books5","instId":"BTC-USDT"},"data":[{"asks":"x"}]}',
    '{"arg":{"channel":"tickers","instId":"BTC-USD-220527"},"data":[{"instId":"BTC-USD-220527"}]}',
    '{"arg":{"channel":"account"},"data":[{"details":[{"ccy":"BTC","availBal":"x"}]}]}',
    '{"arg":{"channel":"orders"},"data":[{"instId":"BTC-USDT","state":"weird","side":"buy","ordId":"1"}]}',
  ]

  it.each(bad)('%s → error events or nothing, never a throw', (frame) => {
    const events = decodeOkx(frame, spot)
    for (const event of events) {
      marketEventSchema.parse(event)
      expect(event.kind).toBe('error')
    }
    if (frame !== 'ping' || events.length > 0) expect(events.length).toBeGreaterThan(0)
  })

  it('truncated fixture frames give a DECODE_ERROR with the raw frame truncated to 512 characters', () => {
    const frame = readFixtureFrame('okx', 'doc_books5.json')
    const truncatedFrame = frame.slice(0, frame.length - 3)
    const [event] = decodeOkx(truncatedFrame, spot)
    expect(event).toMatchObject({ kind: 'error', code: 'DECODE_ERROR', venue: 'okx' })
    expect(event?.kind === 'error' && event.raw?.startsWith(truncatedFrame.slice(0, 512))).toBe(true)
    expect(event?.kind === 'error' && event.raw!.length).toBeLessThan(540)
  })

  it('unknown channels are skipped', () => {
    expect(
      decodeOkx('{"arg":{"channel":"funding-rate","instId":"BTC-USDT-SWAP"},"data":[{}]}', spot),
    ).toEqual([])
  })

  it('client requests from the fixtures do not throw', () => {
    for (const line of readFixtureLines('okx', 'real_subscribe_requests.jsonl')) {
      for (const event of decodeOkx(line, spot)) expect(event.kind).toBe('error')
    }
  })

  it('never throws on arbitrary strings or JSON values (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc
            .jsonValue()
            .map((v) => JSON.stringify({ arg: { channel: 'tickers', instId: 'BTC-USDT' }, data: [v] })),
        ),
        (frame) => {
          const events = decodeOkx(frame, spot)
          for (const event of events) marketEventSchema.parse(event)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('book level validation', () => {
  it('accepts exactly the numbers the wire pattern allows, finite', () => {
    const pattern = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i
    const texts = [
      '4.25',
      '0.0001',
      '31774.7',
      '7',
      '-1',
      '1e5',
      '1E-3',
      '.5',
      '1.',
      '1..2',
      ' 1',
      '',
      '1e999',
      '0x10',
    ]
    texts.push('9'.repeat(400), `${'9'.repeat(400)}.5`)
    for (const text of texts) {
      const parsed = parseOkxBookMessage({
        arg: { channel: 'books5', instId: 'BTC-USDT' },
        data: [{ bids: [[text, '1', '0', '1']], asks: [], ts: '1' }],
      })
      const expected = pattern.test(text) && Number.isFinite(+text)
      expect(parsed.success, text.slice(0, 20)).toBe(expected)
    }
  })
})
