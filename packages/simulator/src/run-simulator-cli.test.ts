import type { VenueId } from '@tickmesh/core'
import { describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import { parseSimulatorArgs, runSimulatorCli } from './run-simulator-cli'
import { ConnectionSet } from './shared/connection-set'
import type { SimFault, VenueModuleFactory } from './sim-types'

function fakeVenue(venue: VenueId, injected: SimFault[]): VenueModuleFactory {
  return () => {
    const connections = new ConnectionSet()
    return {
      venue,
      handleConnection: (socket) => {
        connections.attach(socket).send('{"hello":1}')
      },
      handleHttp: () => false,
      inject: (fault) => {
        injected.push(fault)
      },
      get sentFrames() {
        return connections.sentFrames
      },
      get connectionCount() {
        return connections.size
      },
      close: () => connections.closeAll(),
    }
  }
}

function capture(stop: AbortController) {
  const out: string[] = []
  const err: string[] = []
  return {
    out,
    err,
    io: {
      stdout: (line: string) => out.push(line),
      stderr: (line: string) => err.push(line),
      stopSignal: stop.signal,
    },
  }
}

describe('parseSimulatorArgs', () => {
  it('reads every flag', () => {
    expect(
      parseSimulatorArgs([
        '--seed',
        '42',
        '--port',
        '9100',
        '--venues',
        'binance,okx',
        '--rate',
        '50',
        '--firehose',
        '--okx-checksums',
        '--time-scale',
        '0.5',
        '--faults',
        'drop@binance:5000,rest429@okx:250',
      ]),
    ).toEqual({
      seed: 42,
      port: 9100,
      venues: ['binance', 'okx'],
      rate: 50,
      firehose: true,
      okxChecksums: true,
      timeScale: 0.5,
      faults: [
        { venue: 'binance', fault: { kind: 'drop', code: 1001, reason: 'going away' }, everyMs: 5000 },
        { venue: 'okx', fault: { kind: 'rest', status: 429, count: 1 }, everyMs: 250 },
      ],
    })
    expect(parseSimulatorArgs(['--help'])).toBe('help')
  })

  it('rejects bad values with a message naming them', () => {
    expect(() => parseSimulatorArgs(['--port', '70000'])).toThrow(/--port must be an integer from 0 to 65535/)
    expect(() => parseSimulatorArgs(['--venues', 'kraken'])).toThrow(/Unknown venue "kraken"/)
    expect(() => parseSimulatorArgs(['--faults', 'explode@okx:10'])).toThrow(/Unknown fault kind "explode"/)
    expect(() => parseSimulatorArgs(['--faults', 'drop@okx'])).toThrow(/Cannot read the fault spec/)
  })
})

describe('runSimulatorCli', () => {
  it('prints one JSON line per venue, serves, injects periodic faults, and exits 0 when stopped', async () => {
    const stop = new AbortController()
    const { out, err, io } = capture(stop)
    const injected: SimFault[] = []
    const done = runSimulatorCli(['--venues', 'binance,coinbase', '--faults', 'stall@coinbase:10'], io, {
      factories: { binance: fakeVenue('binance', []), coinbase: fakeVenue('coinbase', injected) },
    })
    await vi.waitFor(() => expect(out).toHaveLength(2), { timeout: 10_000 })
    const lines = out.map((line) => JSON.parse(line) as { venue: string; ws: string; rest: string })
    expect(lines.map((line) => line.venue)).toEqual(['binance', 'coinbase'])
    expect(lines[0]?.rest).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const socket = new WebSocket(`${lines[0]?.ws}/ws`)
    socket.on('error', () => {})
    try {
      const hello = await new Promise<string>((resolve) =>
        socket.once('message', (data) => resolve(String(data))),
      )
      expect(hello).toBe('{"hello":1}')
      await vi.waitFor(() => expect(injected.length).toBeGreaterThan(0), { timeout: 10_000 })
      expect(injected[0]).toEqual({ kind: 'stall', durationMs: 3000 })
    } finally {
      stop.abort()
    }
    expect(await done).toBe(0)
    expect(err).toEqual([])
    await vi.waitFor(() => expect(socket.readyState).toBe(WebSocket.CLOSED))
  })

  it('exits 2 with the reason on a bad flag and 0 with usage on --help', async () => {
    const stop = new AbortController()
    const bad = capture(stop)
    expect(await runSimulatorCli(['--nope'], bad.io)).toBe(2)
    expect(bad.err.join('\n')).toMatch(/--nope/)
    const help = capture(stop)
    expect(await runSimulatorCli(['-h'], help.io)).toBe(0)
    expect(help.out[0]).toMatch(/Usage: tickmesh-sim/)
  })
})
