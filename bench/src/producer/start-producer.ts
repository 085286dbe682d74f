import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { VenueId } from '@tickmesh/core'
import type { ProducerCommand, ProducerReply } from './producer-protocol'
import type { StreamChannel } from './trade-frames'

export interface FireResult {
  sent: number
  elapsedMs: number
  error?: string
}

export interface StatusResult {
  path: string | null
  clientMessages: string[]
  open: number
}

export interface Producer {
  /** ws base URL per venue, e.g. `ws://127.0.0.1:40123`. */
  readonly wsUrl: Record<VenueId, string>
  firehose(venue: VenueId, channel: StreamChannel, count: number): Promise<FireResult>
  rate(venue: VenueId, channel: StreamChannel, rate: number, durationMs: number): Promise<FireResult>
  status(venue: VenueId): Promise<StatusResult>
  stop(): Promise<void>
}

/** Forks the frame server (inheriting tsx's loader from execArgv) in front of the simulator's venues. */
export async function startProducer(upstreams: Partial<Record<VenueId, string>>): Promise<Producer> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./frame-server.ts', import.meta.url)), [], {
    env: { ...process.env, TICKMESH_BENCH_UPSTREAMS: JSON.stringify(upstreams) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const waiters: ((reply: ProducerReply) => boolean)[] = []
  child.on('message', (reply: ProducerReply) => {
    const index = waiters.findIndex((waiter) => waiter(reply))
    if (index >= 0) waiters.splice(index, 1)
  })
  const next = <T>(match: (reply: ProducerReply) => T | undefined, timeoutMs: number): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`bench producer: no reply in ${timeoutMs} ms`)),
        timeoutMs,
      )
      waiters.push((reply) => {
        const value = match(reply)
        if (value === undefined) return false
        clearTimeout(timer)
        resolve(value)
        return true
      })
    })
  const command = (message: ProducerCommand): void => {
    child.send(message)
  }
  const ports = await next((reply) => (reply.type === 'listening' ? reply.ports : undefined), 30_000)
  const wsUrl = {} as Record<VenueId, string>
  for (const [venue, port] of Object.entries(ports)) wsUrl[venue as VenueId] = `ws://127.0.0.1:${port}`
  const fired = (venue: VenueId, timeoutMs: number): Promise<FireResult> =>
    next((reply) => {
      if (reply.type !== 'fired' || reply.venue !== venue) return undefined
      const result: FireResult = { sent: reply.sent, elapsedMs: reply.elapsedMs }
      if (reply.error !== undefined) result.error = reply.error
      return result
    }, timeoutMs)
  return {
    wsUrl,
    firehose: (venue, channel, count) => {
      const done = fired(venue, 600_000)
      command({ type: 'fire', venue, channel, mode: 'firehose', count })
      return done
    },
    rate: (venue, channel, rate, durationMs) => {
      const done = fired(venue, durationMs + 600_000)
      command({ type: 'fire', venue, channel, mode: 'rate', rate, durationMs })
      return done
    },
    status: (venue) => {
      const done = next(
        (reply) =>
          reply.type === 'status' && reply.venue === venue
            ? { path: reply.path, clientMessages: reply.clientMessages, open: reply.open }
            : undefined,
        10_000,
      )
      command({ type: 'status', venue })
      return done
    },
    stop: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      command({ type: 'stop' })
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    },
  }
}
