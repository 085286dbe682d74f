import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { readRecording, VENUES } from '@tickmesh/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fixturePath, readFixtureFrame, readFixtureLines } from '../../../../test-support/fixtures'
import { main } from '../program'
import { argv, createTestIo } from '../test-io'

const MARKET_KINDS = new Set(['ticker', 'trade', 'bbo', 'book', 'candle'])

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tickmesh-replay-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

function marketEvents(events: Record<string, unknown>[], venue: string): Record<string, unknown>[] {
  return events.filter((event) => event.venue === venue && MARKET_KINDS.has(event.kind as string))
}

describe('record and replay', () => {
  it('replays a recording into exactly the normalized events the live stream printed', async () => {
    const path = join(dir, 'session.ndjson')
    const live = createTestIo()
    const liveCode = await main(
      argv(
        'stream',
        'BTC/USDT',
        '--sim',
        '--json',
        '--channels',
        'ticker,trades,bbo,book',
        '--depth',
        '5',
        '--record',
        path,
        '--duration',
        '3s',
      ),
      live.io,
    )
    expect(liveCode).toBe(0)
    expect(live.stderr.text).toMatch(/Recorded \d+ messages/)

    const replay = createTestIo()
    expect(await main(argv('replay', path, '--json', '--depth', '5'), replay.io)).toBe(0)
    expect(replay.stderr.text).toMatch(/Replayed \d+ frames and \d+ REST responses/)

    const liveEvents = live.json()
    const replayed = replay.json()
    for (const venue of VENUES) {
      const expected = marketEvents(liveEvents, venue)
      expect(expected.length, venue).toBeGreaterThan(10)
      // Same events, same order, same receive times, book events cut to --depth on both sides.
      expect(marketEvents(replayed, venue), venue).toEqual(expected)
      expect(expected.some((event) => event.kind === 'book')).toBe(true)
    }
  })

  it('record --out .gz writes the core recording format with REST responses and no auth frames', async () => {
    const path = join(dir, 'session.ndjson.gz')
    const t = createTestIo()
    const code = await main(
      argv(
        'record',
        'ETH/USDT',
        '--sim',
        '--venues',
        'binance,okx',
        '--out',
        path,
        '--duration',
        '2s',
        '--json',
      ),
      t.io,
    )
    expect(code).toBe(0)
    const [result] = t.json()
    expect(result).toMatchObject({ kind: 'recording', path, droppedSensitive: 0, droppedOverflow: 0 })
    const summary = /Recorded (\d+) messages \(([\d.]+ (?:KiB|MiB|B))\)/.exec(t.stderr.text)
    expect(summary).not.toBeNull()
    const text = gunzipSync(readFileSync(path)).toString('utf8')
    const items = []
    for await (const item of readRecording(path)) items.push(item)
    expect(items.length).toBe(Number(summary![1]))
    expect(result!.messages).toBe(items.length)
    expect(text.split('\n').filter(Boolean)).toHaveLength(items.length)
    expect(new Set(items.map((item) => item.venue))).toEqual(new Set(['binance', 'okx']))
    expect(items.some((item) => item.kind === 'rest' && item.url.includes('/api/v3/depth'))).toBe(true)
    expect(items.some((item) => item.kind === 'ws')).toBe(true)
    expect(text).not.toMatch(/"op\\?":\\?"login|signature/i)
  })

  it('replay --speed 1 follows the recorded pace and --duration stops it early', async () => {
    const path = join(dir, 'slow.ndjson')
    const frame = readFixtureFrame('binance', 'real_aggTrade_combined.json')
    const lines = [0, 60_000, 120_000].map((offset) =>
      JSON.stringify({
        t: 1_700_000_000_000 + offset,
        venue: 'binance',
        market: 'spot',
        kind: 'ws',
        url: 'wss://stream.binance.com:9443/stream',
        data: frame,
      }),
    )
    writeFileSync(path, `${lines.join('\n')}\n`)
    const t = createTestIo()
    expect(await main(argv('replay', path, '--json', '--speed', '1', '--duration', '300ms'), t.io)).toBe(0)
    // Only the first frame is due within 300 ms at recorded pace (the next comes a minute later).
    expect(t.json().filter((event) => event.kind === 'trade')).toHaveLength(1)
  })
})

describe('replay of raw exchange messages (fixtures)', () => {
  it('decodes a file of Binance combined-stream messages with --venue and --market', async () => {
    const path = join(dir, 'binance.jsonl')
    writeFileSync(
      path,
      [
        'real_aggTrade_combined.json',
        'real_bookTicker_combined.json',
        'real_ticker_24hr_combined.json',
        'real_kline_1m_BTCUSDT_combined.json',
      ]
        .map((file) => readFixtureFrame('binance', file))
        .join('\n'),
    )
    const t = createTestIo()
    expect(await main(argv('replay', path, '--venue', 'binance', '--market', 'spot', '--json'), t.io)).toBe(0)
    const kinds = t.json().map((event) => event.kind)
    expect(kinds).toEqual(expect.arrayContaining(['trade', 'bbo', 'ticker', 'candle']))
    for (const event of t.json()) {
      if (event.kind !== 'error') expect(event.symbol).toMatch(/^[A-Z0-9]+\/[A-Z0-9]+$/)
    }
  })

  it('decodes OKX and Bybit messages into unified symbols without instrument metadata', async () => {
    const okx = join(dir, 'okx.jsonl')
    writeFileSync(
      okx,
      ['real_trades_BTC-USDT.json', 'real_tickers_BTC-USDT.json', 'real_bbo-tbt_BTC-USDT.json']
        .map((f) => readFixtureFrame('okx', f))
        .join('\n'),
    )
    const t = createTestIo()
    expect(
      await main(argv('replay', okx, '--venue', 'okx', '--market', 'spot', '--json', '--no-status'), t.io),
    ).toBe(0)
    const okxEvents = t.json()
    expect(okxEvents.some((event) => event.kind === 'trade' && event.symbol === 'BTC/USDT')).toBe(true)
    expect(okxEvents.some((event) => event.kind === 'ticker' && event.symbol === 'BTC/USDT')).toBe(true)

    const bybit = join(dir, 'bybit.jsonl')
    writeFileSync(
      bybit,
      ['real_publicTrade_spot.json', 'real_tickers_spot_snapshot_BTCUSDT.json']
        .map((f) => readFixtureFrame('bybit', f))
        .join('\n'),
    )
    const b = createTestIo()
    expect(await main(argv('replay', bybit, '--venue', 'bybit', '--market', 'spot', '--json'), b.io)).toBe(0)
    expect(
      b
        .json()
        .some(
          (event) => event.kind === 'trade' && typeof event.symbol === 'string' && event.symbol.includes('/'),
        ),
    ).toBe(true)
    expect(b.json().some((event) => event.kind === 'ticker' && event.symbol === 'BTC/USDT')).toBe(true)
  })

  it.each([
    ['bybit', 'real_subscribe_requests_linear_and_spot.jsonl', 'linear'],
    ['okx', 'real_subscribe_requests.jsonl', 'spot'],
    ['coinbase', 'real_subscribe_requests.jsonl', 'spot'],
    ['coinbase', 'real_subscriptions_responses.jsonl', 'spot'],
  ])('replays the %s fixture %s without failing', async (venue, file, market) => {
    expect(readFixtureLines(venue, file).length).toBeGreaterThan(0)
    const t = createTestIo()
    expect(
      await main(
        argv('replay', fixturePath(venue, file), '--venue', venue, '--market', market, '--json'),
        t.io,
      ),
    ).toBe(0)
    expect(t.stderr.text).toMatch(/Replayed \d+ frames/)
    for (const event of t.json()) expect(event.venue).toBe(venue)
  })
})

describe('replay errors', () => {
  it('record into a folder that does not exist fails before connecting, naming the folder (exit 2)', async () => {
    const t = createTestIo()
    const out = join(dir, 'missing', 'session.ndjson')
    expect(await main(argv('record', 'BTC/USDT', '--sim', '--out', out, '--duration', '1s'), t.io)).toBe(2)
    expect(t.stderr.text).toContain(join(dir, 'missing'))
    expect(t.stderr.text.trim().split('\n')).toHaveLength(1)
  })

  it('a missing file is a usage error naming the path', async () => {
    const t = createTestIo()
    expect(await main(argv('replay', join(dir, 'nope.ndjson')), t.io)).toBe(2)
    expect(t.stderr.text).toContain('nope.ndjson')
  })

  it('raw messages without --venue/--market explain how to replay them', async () => {
    const path = join(dir, 'raw.jsonl')
    writeFileSync(path, `${readFixtureFrame('binance', 'real_aggTrade_combined.json')}\n`)
    const t = createTestIo()
    expect(await main(argv('replay', path), t.io)).toBe(2)
    expect(t.stderr.text).toContain('not a tickmesh recording')
    expect(t.stderr.text).toContain('--venue')
  })

  it('skips unreadable lines of a recording with a warning naming the line', async () => {
    const path = join(dir, 'broken.ndjson')
    const line = (file: string): string =>
      JSON.stringify({
        t: 1,
        venue: 'binance',
        market: 'spot',
        kind: 'ws',
        url: 'wss://x/stream',
        data: readFixtureFrame('binance', file),
      })
    writeFileSync(
      path,
      `${line('real_aggTrade_combined.json')}\n{"t":2,"venue":"nowhere"}\n${line('real_bookTicker_combined.json')}\n`,
    )
    const t = createTestIo()
    expect(await main(argv('replay', path, '--json'), t.io)).toBe(0)
    expect(t.stderr.text).toContain('line 2')
    expect(t.json().map((event) => event.kind)).toEqual(['trade', 'bbo'])
  })
})
