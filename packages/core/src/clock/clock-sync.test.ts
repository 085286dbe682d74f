import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, TickmeshError } from '../errors'
import { type ClockSync, createClockSync } from './clock-sync'

const SKEW_MS = 7_500

let server: Server | null = null
let clock: ClockSync | null = null

afterEach(async () => {
  clock?.stop()
  clock = null
  if (server) await new Promise<void>((resolve) => server!.close(() => resolve()))
  server = null
})

/** A loopback server whose clock runs SKEW_MS ahead, answering like Binance `/api/v3/time`. */
async function startSkewedServer(): Promise<{ url: string; requests: () => number }> {
  let requests = 0
  server = createServer((_request, response) => {
    requests++
    response.setHeader('content-type', 'application/json')
    response.end(JSON.stringify({ serverTime: Date.now() + SKEW_MS }))
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/api/v3/time`, requests: () => requests }
}

async function fetchTime(url: string): Promise<number> {
  const response = await fetch(url)
  const body = (await response.json()) as { serverTime: number }
  return body.serverTime
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('createClockSync', () => {
  it('measures a skewed server clock over loopback HTTP', async () => {
    const { url } = await startSkewedServer()
    clock = createClockSync({ fetchServerTime: () => fetchTime(url), now: Date.now })
    expect(clock.offsetMs).toBe(0)
    expect(clock.rttMs).toBeNull()
    const sample = await clock.sync()
    // The midpoint error is at most rtt/2 plus Date.now() granularity.
    const tolerance = sample.rttMs / 2 + 2
    expect(Math.abs(clock.offsetMs - SKEW_MS)).toBeLessThanOrEqual(tolerance)
    expect(clock.rttMs).toBe(sample.rttMs)
    expect(Math.abs(clock.serverNow() - (Date.now() + SKEW_MS))).toBeLessThanOrEqual(tolerance + 5)
  })

  it('uses the request midpoint and keeps the lowest round-trip sample', async () => {
    // Scripted clock: each sample reads t0 then t1; the server reports a time per sample.
    const ticks = [1000, 1100, 2000, 2010, 3000, 3300]
    const serverTimes = [6000, 7005, 8100]
    let tick = 0
    let request = 0
    clock = createClockSync({
      fetchServerTime: async () => serverTimes[request++]!,
      now: () => ticks[tick++] ?? 9999,
    })
    const sample = await clock.sync()
    expect(sample.rttMs).toBe(10)
    expect(clock.offsetMs).toBe(7005 - (2000 + 2010) / 2)
    expect(clock.rttMs).toBe(10)
    expect(clock.syncedAt).toBe(2010)
  })

  it('shares one measurement between concurrent sync() calls', async () => {
    let calls = 0
    clock = createClockSync({
      fetchServerTime: async () => {
        calls++
        return Date.now()
      },
      samples: 2,
    })
    await Promise.all([clock.sync(), clock.sync(), clock.sync()])
    expect(calls).toBe(2)
  })

  it('ignores failed samples when another succeeds, rejects when all fail and keeps the old offset', async () => {
    let fail = true
    let call = 0
    clock = createClockSync({
      fetchServerTime: async () => {
        call++
        if (fail || call === 1) throw new Error('ECONNREFUSED')
        return Date.now() + 1000
      },
      now: Date.now,
      samples: 3,
    })
    await expect(clock.sync()).rejects.toBeInstanceOf(TickmeshError)
    await expect(clock.sync()).rejects.toThrow(/server time/)
    expect(clock.offsetMs).toBe(0)
    fail = false
    call = 0
    await clock.sync()
    expect(clock.offsetMs).toBeGreaterThan(900)
  })

  it('times out a request that never answers', async () => {
    clock = createClockSync({
      fetchServerTime: () => new Promise<number>(() => {}),
      timeoutMs: 20,
      samples: 1,
    })
    await expect(clock.sync()).rejects.toThrow(/within 20 ms/)
  })

  it('rejects a server time that is not a number', async () => {
    clock = createClockSync({ fetchServerTime: async () => Number.NaN, samples: 1 })
    await expect(clock.sync()).rejects.toThrow(/not a number/)
  })

  it('refreshes periodically after start() and stops when told', async () => {
    const { url, requests } = await startSkewedServer()
    clock = createClockSync({ fetchServerTime: () => fetchTime(url), intervalMs: 20, samples: 1 })
    clock.start()
    clock.start() // idempotent: one timer
    await waitFor(() => requests() >= 3)
    expect(Math.abs(clock.offsetMs - SKEW_MS)).toBeLessThan(1000)
    clock.stop()
    await new Promise((resolve) => setTimeout(resolve, 30)) // let an in-flight request land
    const after = requests()
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(requests()).toBe(after)
  })

  it('does not keep the process alive with its periodic timer', async () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length
    const before = timers()
    clock = createClockSync({ fetchServerTime: async () => Date.now(), intervalMs: 60_000, samples: 1 })
    clock.start()
    await waitFor(() => clock!.syncedAt !== null)
    await new Promise((resolve) => setImmediate(resolve))
    expect(timers()).toBe(before)
    clock.stop()
  })

  it('reports periodic failures to onError instead of throwing', async () => {
    const errors: TickmeshError[] = []
    clock = createClockSync({
      fetchServerTime: async () => {
        throw new Error('down')
      },
      samples: 1,
      onError: (error) => errors.push(error),
    })
    clock.start()
    await waitFor(() => errors.length >= 1)
    expect(errors[0]!.message).toContain('down')
  })

  it('rejects invalid settings with a ConfigError', () => {
    expect(() => createClockSync({ fetchServerTime: async () => 0, intervalMs: 0 })).toThrow(ConfigError)
    expect(() => createClockSync({ fetchServerTime: async () => 0, samples: -1 })).toThrow(/samples/)
  })
})
