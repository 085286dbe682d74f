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

/** Frames received on `path` during `ms`. */
async function collect(path: string, ms: number): Promise<string[]> {
  const frames: string[] = []
  socket = new WebSocket(`${sim?.venues.binance.ws}${path}`)
  socket.on('message', (data) => frames.push(data.toString()))
  await new Promise((resolve, reject) => {
    socket?.once('open', resolve)
    socket?.once('error', reject)
  })
  await new Promise((resolve) => setTimeout(resolve, ms))
  return frames
}

describe('binance simulator modes', () => {
  it('rate: sends the timed streams (ticker) at the given messages/s instead of once a second', async () => {
    sim = await startSimulator({ venues: ['binance'], seed: 3, port: 0, rate: 20 })
    const frames = await collect('/ws/btcusdt@ticker', 1_000)
    expect(frames.length).toBeGreaterThanOrEqual(8)
  })

  it('firehose: sends every book change as its own depth event and counts what it sent', async () => {
    sim = await startSimulator({ venues: ['binance'], seed: 3, port: 0, firehose: true })
    const before = sim.module('binance').sentFrames
    const frames = await collect('/ws/btcusdt@depth@100ms', 500)
    const events = frames.map((frame) => JSON.parse(frame) as { U: number; u: number })
    expect(events.length).toBeGreaterThan(20)
    for (let index = 1; index < events.length; index++) {
      expect(events[index]?.U).toBe((events[index - 1]?.u ?? 0) + 1)
      expect(events[index]?.U).toBe(events[index]?.u)
    }
    expect(sim.module('binance').sentFrames - before).toBeGreaterThanOrEqual(events.length)
  })
})
