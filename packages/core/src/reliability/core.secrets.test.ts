import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inspect } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import {
  CANARY_PASSPHRASE,
  CANARY_SECRET,
  CANARY_SECRET_BASE64,
  describeError,
  LeakTrap,
  leaksOf,
} from '../../../../test-support/reliability/secret-canary'
import { AuthenticationError, ConfigError } from '../errors'
import { createCredentials } from '../signing/credentials'
import { createReconnectingSocket } from '../socket/reconnecting-socket'
import type { ReconnectingSocket } from '../socket/socket-types'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe('secret hygiene: the leak trap itself', () => {
  it('finds a canary in logs, error causes and base64 (so a clean result means something)', () => {
    const trap = new LeakTrap()
    trap.logger.warn('login failed', {
      error: new Error('x', { cause: new Error(`secret=${CANARY_SECRET}`) }),
    })
    trap.add('frame', `{"sign":"${CANARY_SECRET_BASE64}"}`)
    trap.add('clean', 'nothing here')
    expect(trap.leaks().map((leak) => leak.split(':')[0])).toEqual(['logger.warn', 'frame'])
  })
})

describe('secret hygiene: credentials and errors', () => {
  it('Credentials never print their secret or passphrase, however they are printed', () => {
    const credentials = createCredentials({
      apiKey: 'key-1234',
      secret: CANARY_SECRET,
      passphrase: CANARY_PASSPHRASE,
    })
    const error = new AuthenticationError('Login refused.', {
      venue: 'okx',
      details: { credentials },
      cause: new ConfigError('inner', { details: { credentials } }),
    })
    const texts = [
      String(credentials),
      `${credentials}`,
      JSON.stringify(credentials),
      JSON.stringify({ settings: { credentials } }),
      inspect(credentials, { depth: 10, showHidden: true }),
      inspect({ credentials }, { depth: 10, showHidden: true }),
      describeError(error),
      error.message,
      Object.keys(credentials).join(','),
      JSON.stringify(Object.entries(credentials)),
    ]
    expect(leaksOf(texts.map((text, index) => ({ where: `form ${index}`, text })))).toEqual([])
  })
})

describe('secret hygiene: inbound frame size is bounded', () => {
  it('a frame over maxPayloadBytes closes the connection with an error and the socket reconnects', async () => {
    const server: Server = createServer()
    const wss = new WebSocketServer({ server })
    let connections = 0
    wss.on('connection', (socket) => {
      connections++
      // The first connection sends a 256 KiB frame; later ones a small frame.
      socket.send(connections === 1 ? `{"big":"${'x'.repeat(256 * 1024)}"}` : '{"small":1}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const client of wss.clients) client.terminate()
          wss.close()
          server.close(() => resolve())
        }),
    )
    const port = (server.address() as AddressInfo).port
    const messages: string[] = []
    const errors: string[] = []
    const socket: ReconnectingSocket = createReconnectingSocket({
      urls: [`ws://127.0.0.1:${port}`],
      maxPayloadBytes: 64 * 1024,
      backoff: { baseDelayMs: 10, maxDelayMs: 50 },
      onMessage: (text) => messages.push(text),
      onError: (error) => errors.push(error.code),
    })
    cleanups.push(() => socket.close())
    await socket.connect()
    const startedAt = Date.now()
    while (!messages.includes('{"small":1}') && Date.now() - startedAt < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(messages).toEqual(['{"small":1}'])
    expect(errors.length).toBeGreaterThan(0)
    expect(connections).toBeGreaterThanOrEqual(2)
  })
})
