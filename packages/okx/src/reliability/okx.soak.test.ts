import type { Socket } from 'node:net'
import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { isFullRun, reliabilitySeed, reportFigure } from '../../../../test-support/reliability/run-mode'
import { runSoak } from '../../../../test-support/reliability/soak-run'
import { okxChaosSpec } from './okx-chaos-spec'

// Accelerated soak: 10M frames with a reconnect every 100k in a full run (TICKMESH_FULL=1); 60k
// frames with a reconnect every 6k on every change (OKX frames carry real CRC32 checksums and 400
// levels, so the firehose is slower here). Heap, handles, timers and sockets stay flat.
const FRAMES = Number(process.env.TICKMESH_SOAK_FRAMES) || (isFullRun() ? 10_000_000 : 60_000)
const RECONNECT_EVERY = isFullRun() ? 100_000 : 6_000

describe('okx soak', () => {
  it('heap, active handles, timers and sockets stay flat across reconnects', {
    timeout: 3_600_000,
  }, async () => {
    const result = await runSoak(okxChaosSpec, {
      frames: FRAMES,
      reconnectEvery: RECONNECT_EVERY,
      seed: reliabilitySeed(),
      symbols: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'],
    })
    const { samples, ...figures } = result
    reportFigure({ suite: 'soak', ...figures, firstSample: samples[1], lastSample: samples.at(-1) })
    expect(result.frames).toBeGreaterThanOrEqual(FRAMES)
    expect(result.reconnects).toBeGreaterThanOrEqual(Math.floor(FRAMES / RECONNECT_EVERY) - 1)
    // Flat: after a GC at each reconnect, the late heap is within a few MB of the early heap.
    expect(result.heapGrowthMb).toBeLessThan(16)
    for (const [type, growth] of Object.entries(result.resourceGrowth))
      expect(growth, type).toBeLessThanOrEqual(1)
    expect(result.droppedEventErrors).toBe(0)
  })

  // Control for the harness: the soak waits for in-flight resources to settle before sampling, and
  // that wait must not hide a real leak. One extra TCP connection per WebSocket, never closed.
  it('a socket leaked per connection still shows as growth', { timeout: 120_000 }, async () => {
    const leaked: Socket[] = []
    class LeakyWebSocket extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args)
        const url = new URL(String(args[0]))
        leaked.push(connect(Number(url.port), url.hostname))
      }
    }
    try {
      const result = await runSoak(
        { ...okxChaosSpec, WebSocket: LeakyWebSocket as typeof okxChaosSpec.WebSocket },
        {
          frames: 30_000,
          reconnectEvery: 6_000,
          seed: reliabilitySeed(),
          symbols: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'],
        },
      )
      expect(result.resourceGrowth.TCPSocketWrap).toBeGreaterThan(1)
    } finally {
      for (const socket of leaked) socket.destroy()
    }
  })
})
