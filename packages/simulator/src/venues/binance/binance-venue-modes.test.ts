import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { Simulator } from '../../server/index'
import { startSimulator } from '../../server/index'

let sim: Simulator | null = null
let socket: WebSocket | null = null

afterEach(async () => {
  socket?.terminate()
  socket = null
  await sim?.close()
  sim = null
})

/**
 * The first `count` frames received on `path` and how long they took from the open. Waits on the
 * count (bounded at 20 s), not a fixed time, so a loaded machine cannot make it come up short.
 */
async function collect(path: string, count: number): Promise<{ frames: string[]; elapsedMs: number }> {
  const frames: string[] = []
  socket = new WebSocket(`${sim?.venues.binance.ws}${path}`)
  socket.on('message', (data) => frames.push(data.toString()))
  await new Promise((resolve, reject) => {
    socket?.once('open', resolve)
    socket?.once('error', reject)
  })
  const openedAt = Date.now()
  const deadline = openedAt + 20_000
  while (frames.length < count && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 10))
  return { frames: frames.slice(0, count), elapsedMs: Date.now() - openedAt }
}

describe('binance simulator modes', () => {
  it('rate: sends the timed streams (ticker) at the given messages/s instead of once a second', async () => {
    sim = await startSimulator({ venues: ['binance'], seed: 3, port: 0, rate: 20 })
    const { frames, elapsedMs } = await collect('/ws/btcusdt@ticker', 8)
    expect(frames.length).toBe(8)
    // At 20/s eight tickers take ~0.4 s; at the default once a second they would take ≥ 7 s.
    expect(elapsedMs).toBeLessThan(5_000)
  })

  it('firehose: sends every book change as its own depth event and counts what it sent', async () => {
    sim = await startSimulator({ venues: ['binance'], seed: 3, port: 0, firehose: true })
    const before = sim.module('binance').sentFrames
    const { frames } = await collect('/ws/btcusdt@depth@100ms', 21)
    const events = frames.map((frame) => JSON.parse(frame) as { U: number; u: number })
    expect(events.length).toBeGreaterThan(20)
    for (let index = 1; index < events.length; index++) {
      expect(events[index]?.U).toBe((events[index - 1]?.u ?? 0) + 1)
      expect(events[index]?.U).toBe(events[index]?.u)
    }
    expect(sim.module('binance').sentFrames - before).toBeGreaterThanOrEqual(events.length)
  })
})
