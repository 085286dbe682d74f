import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readFixture, readFixtureFrame } from '../../../../test-support/fixtures'
import type { RawItem } from '../adapter/adapter-types'
import { ConfigError, type DecodeError } from '../errors'
import { readRecording } from './read-recording'
import { createRecordingWriter } from './recording-writer'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tickmesh-recording-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const depthFrame = readFixture('binance', 'doc_depthUpdate.json') // pretty-printed, with newlines
const items: RawItem[] = [
  {
    kind: 'ws',
    venue: 'binance',
    market: 'spot',
    url: 'wss://stream.binance.com:9443/ws',
    data: depthFrame,
    receivedAt: 1_700_000_000_123.456,
  },
  {
    kind: 'rest',
    venue: 'binance',
    market: 'spot',
    url: 'https://api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=1000',
    status: 200,
    data: readFixture('binance', 'doc_rest_depth_snapshot.json'),
    receivedAt: 1_700_000_000_200,
  },
  {
    kind: 'ws',
    venue: 'okx',
    market: 'linear',
    url: 'wss://ws.okx.com:8443/ws/v5/public',
    data: '{"text":"unicode ✓ € \\u0000 and \\"quotes\\""}',
    receivedAt: 1_700_000_000_300,
  },
]

async function readAll(path: string, errors: DecodeError[] = []): Promise<RawItem[]> {
  const out: RawItem[] = []
  for await (const item of readRecording(path, { onError: (error) => errors.push(error) })) out.push(item)
  return out
}

describe('recordings', () => {
  it.each(['session.ndjson', 'session.ndjson.gz'])('round-trips items exactly (%s)', async (name) => {
    const path = join(dir, name)
    const writer = createRecordingWriter(path)
    for (const item of items) expect(writer.write(item)).toBe(true)
    await writer.close()
    expect(writer.messages).toBe(3)

    const bytes = await readFile(path)
    const text = name.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8')
    expect(writer.bytes).toBe(Buffer.byteLength(text))
    const lines = text.trimEnd().split('\n')
    expect(lines).toHaveLength(3)
    expect(Object.keys(JSON.parse(lines[1]!) as object)).toEqual([
      't',
      'venue',
      'market',
      'kind',
      'url',
      'status',
      'data',
    ])
    expect(Object.keys(JSON.parse(lines[0]!) as object)).toEqual([
      't',
      'venue',
      'market',
      'kind',
      'url',
      'data',
    ])

    const errors: DecodeError[] = []
    expect(await readAll(path, errors)).toEqual(items)
    expect(errors).toEqual([])
  })

  it('never writes auth frames and redacts credentials from URLs', async () => {
    const path = join(dir, 'auth.ndjson')
    const writer = createRecordingWriter(path)
    const base = {
      kind: 'ws',
      venue: 'okx',
      market: 'spot',
      url: 'wss://ws.okx.com/ws/v5/private',
      receivedAt: 1,
    } as const
    expect(writer.write({ ...base, data: readFixtureFrame('okx', 'doc_login_request.json') })).toBe(false)
    expect(
      writer.write({ ...base, venue: 'bybit', data: readFixtureFrame('bybit', 'doc_auth_request.json') }),
    ).toBe(false)
    expect(writer.write({ ...base, data: '{"arg":{"channel":"tickers"},"data":[]}' })).toBe(true)
    expect(
      writer.write({
        ...base,
        kind: 'rest',
        venue: 'binance',
        url: 'https://api.binance.com/api/v3/account?timestamp=1&signature=deadbeef',
        status: 200,
        data: '{"balances":[]}',
      }),
    ).toBe(true)
    await writer.close()
    expect(writer.droppedSensitive).toBe(2)
    const text = await readFile(path, 'utf8')
    expect(text).not.toContain('7L+zFQ')
    expect(text).not.toContain('deadbeef')
    expect(text).toContain('signature=REDACTED')
    expect(text.trimEnd().split('\n')).toHaveLength(2)
  })

  it('reports bad lines with their number and skips them without throwing', async () => {
    const path = join(dir, 'damaged.ndjson')
    const good = JSON.stringify({ t: 5, venue: 'bybit', market: 'spot', kind: 'ws', url: 'u', data: '{}' })
    await writeFile(
      path,
      [
        good,
        'not json',
        '',
        JSON.stringify({ t: 'x', venue: 'bybit', market: 'spot', kind: 'ws', url: 'u', data: '{}' }),
        JSON.stringify({ t: 1, venue: 'kraken', market: 'spot', kind: 'ws', url: 'u', data: '{}' }),
        good,
        '{"t":1,"venue":"okx"', // cut off mid-write
      ].join('\n'),
    )
    const errors: DecodeError[] = []
    const reader = readRecording(path, { onError: (error) => errors.push(error) })
    const read: RawItem[] = []
    for await (const item of reader) read.push(item)
    expect(read).toHaveLength(2)
    expect(read[0]).toEqual({
      kind: 'ws',
      venue: 'bybit',
      market: 'spot',
      url: 'u',
      data: '{}',
      receivedAt: 5,
    })
    expect(errors.map((error) => error.details.line)).toEqual([2, 4, 5, 7])
    expect(errors[0]!.code).toBe('DECODE_ERROR')
    expect(errors[0]!.message).toContain('line 2')
    expect(errors[2]!.message).toContain('"kraken"')
    expect(errors[3]!.raw).toBe('{"t":1,"venue":"okx"')
    expect(reader.errors).toBe(4)
    expect(reader.items).toBe(2)
  })

  it('reads a truncated gzip recording up to the damage and reports it', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) =>
      JSON.stringify({ t: i, venue: 'binance', market: 'spot', kind: 'ws', url: 'u', data: `{"n":${i}}` }),
    )
    const whole = gzipSync(`${lines.join('\n')}\n`)
    const path = join(dir, 'cut.ndjson.gz')
    await writeFile(path, whole.subarray(0, Math.floor(whole.length * 0.6)))
    const errors: DecodeError[] = []
    const read = await readAll(path, errors)
    expect(read.length).toBeGreaterThan(0)
    expect(read.length).toBeLessThan(2000)
    expect(read.map((item) => item.receivedAt)).toEqual(read.map((_, index) => index))
    expect(errors.length).toBeGreaterThanOrEqual(1)
    expect(errors.at(-1)!.code).toBe('DECODE_ERROR')
  })

  it('bounds what waits for the disk: items beyond maxBufferedBytes are dropped and counted', async () => {
    const writer = createRecordingWriter(join(dir, 'bounded.ndjson'), { maxBufferedBytes: 1 })
    expect(writer.write(items[0]!)).toBe(true)
    expect(writer.write(items[1]!)).toBe(false)
    expect(writer.droppedOverflow).toBe(1)
    await writer.close()
    expect(await readAll(join(dir, 'bounded.ndjson'))).toEqual([items[0]])
  })

  it('rejects a missing file with a ConfigError naming the path', async () => {
    const path = join(dir, 'missing.ndjson')
    await expect(readAll(path)).rejects.toBeInstanceOf(ConfigError)
    await expect(readAll(path)).rejects.toThrow(/missing\.ndjson/)
  })

  it('fails close() with a TickmeshError when the folder does not exist, and drops later writes', async () => {
    const reported: Error[] = []
    const writer = createRecordingWriter(join(dir, 'no-such-dir', 'x.ndjson'), {
      onError: (error) => reported.push(error),
    })
    await expect(writer.close()).rejects.toThrow(/Could not write the recording/)
    expect(reported).toHaveLength(1)
    expect(writer.write(items[0]!)).toBe(false)
    expect(writer.droppedOverflow).toBe(1)
  })
})
