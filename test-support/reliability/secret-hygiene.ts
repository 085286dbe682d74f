import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import type { AdapterSettings, CredentialsInput, VenueAdapter, VenueId } from '@tickmesh/core'
import { ConfigError, createCredentials, createRecordingWriter } from '@tickmesh/core'
import type { Simulator, VenueModuleFactory, VenueModuleOptions } from '@tickmesh/simulator'
import { startSimulator, venueFactory } from '@tickmesh/simulator'
import { afterEach, describe, expect, it } from 'vitest'
import { CANARY_PASSPHRASE, CANARY_SECRET, LeakTrap, leaksOf, nonLoopbackAddress } from './secret-canary'

export interface SecretHygieneCase {
  venue: VenueId
  create(settings: AdapterSettings): VenueAdapter
  /** Credentials the simulated venue accepts (its built-in account). */
  validCredentials: CredentialsInput
  /** The canary as this venue's secret format wants it (Coinbase: base64). Default CANARY_SECRET. */
  canarySecret?: string
  /**
   * A simulator whose venue accepts the canary as a real secret (so the success path signs with
   * it), when the venue module takes custom accounts.
   */
  canaryAccountFactory?: (base: VenueModuleFactory) => VenueModuleFactory
  /** Symbols a `balances` subscription needs (Coinbase wants one). Default none. */
  privateSymbols?: readonly string[]
  /**
   * Calls of `crypto.timingSafeEqual` so far (the test file spies on it with `vi.mock`): a login the
   * simulator refuses must have been judged by a constant-time compare.
   */
  timingSafeCompares?: () => number
}

async function settle(promise: Promise<unknown>, timeoutMs: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([
      promise.then(
        () => null,
        (error: unknown) => error,
      ),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Defines the secret-hygiene tests of one venue adapter against the simulator: the canary secret
 * never reaches logs, errors, events, raw frames or a recording, on a rejected and on an accepted
 * login; plain `ws://` goes to loopback only unless `allowInsecure` says otherwise.
 */
export function describeSecretHygiene(spec: SecretHygieneCase): void {
  const cleanups: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  async function session(
    credentials: CredentialsInput,
    simulator: Simulator,
    canaries: readonly string[],
    expectBalance: boolean,
  ): Promise<{ trap: LeakTrap; outcome: unknown; recording: string }> {
    const trap = new LeakTrap()
    const directory = mkdtempSync(join(tmpdir(), 'tickmesh-secrets-'))
    cleanups.push(() => rmSync(directory, { recursive: true, force: true }))
    const writer = createRecordingWriter(join(directory, 'session.ndjson'))
    const secret = createCredentials(credentials)
    const adapter = spec.create({
      wsUrl: simulator.venues[spec.venue].ws,
      restUrl: simulator.venues[spec.venue].rest,
      credentials: secret,
      logger: trap.logger,
      reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
      onRaw: (item) => {
        trap.raw(item)
        writer.write(item)
      },
    })
    cleanups.push(() => adapter.close())
    adapter.onEvent((event) => trap.event(event))
    trap.captureConsole()
    let outcome: unknown
    try {
      const balances = adapter.subscribe(
        { channel: 'balances', symbols: spec.privateSymbols ?? [] },
        { onError: (error) => trap.error('onError', error) },
      )
      outcome = await settle(balances.ready, 8_000)
      if (outcome instanceof Error) trap.error('ready rejection', outcome)
      if (expectBalance && outcome === null) {
        const startedAt = Date.now()
        while (
          !trap.texts.some((entry) => entry.where === 'event.balance') &&
          Date.now() - startedAt < 8_000
        ) {
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
      }
      // Whatever the user may print while debugging: the adapter, the credentials, the subscription.
      trap.add('inspect(adapter)', inspect(adapter, { depth: 8, showHidden: true }))
      trap.add('inspect(credentials)', inspect(secret, { depth: 8, showHidden: true }))
      trap.add(
        'String(credentials)',
        `${String(secret)} ${JSON.stringify(secret)} ${JSON.stringify({ secret })}`,
      )
      trap.add('inspect(subscription)', inspect(balances, { depth: 8 }))
      await balances.unsubscribe().catch((error: unknown) => trap.error('unsubscribe', error))
    } finally {
      trap.release()
    }
    await adapter.close()
    await writer.close()
    const recording = readFileSync(writer.path, 'utf8')
    trap.add('recording', recording)
    expect(leaksOf(trap.texts, canaries)).toEqual([])
    return { trap, outcome, recording }
  }

  describe(`${spec.venue}: secret hygiene`, () => {
    it('a login rejected for a wrong secret never shows the secret in errors, logs, events or recordings', async () => {
      const simulator = await startSimulator({ venues: [spec.venue], seed: 3, port: 0 })
      cleanups.push(() => simulator.close())
      const credentials: CredentialsInput = {
        apiKey: spec.validCredentials.apiKey,
        secret: spec.canarySecret ?? CANARY_SECRET,
      }
      if (spec.validCredentials.passphrase !== undefined) credentials.passphrase = CANARY_PASSPHRASE
      const comparesBefore = spec.timingSafeCompares?.() ?? 0
      const { trap, outcome } = await session(
        credentials,
        simulator,
        [CANARY_SECRET, CANARY_PASSPHRASE, ...(spec.canarySecret ? [spec.canarySecret] : [])],
        false,
      )
      // The login was really attempted and refused for its credentials (not for anything else).
      const refused =
        (outcome instanceof Error && (outcome as { code?: string }).code === 'AUTHENTICATION_ERROR') ||
        trap.texts.some(
          (entry) =>
            (entry.where === 'event.error' || entry.where === 'onError') &&
            entry.text.includes('AUTHENTICATION_ERROR'),
        )
      expect(refused, `outcome: ${String(outcome)}`).toBe(true)
      if (spec.timingSafeCompares) expect(spec.timingSafeCompares()).toBeGreaterThan(comparesBefore)
    })

    it('an accepted login never shows the secret either', async () => {
      const base = venueFactory(spec.venue)
      if (!base) throw new Error(`${spec.venue} simulator module missing`)
      const useCanary = spec.canaryAccountFactory !== undefined
      const simulator = await startSimulator({
        venues: [spec.venue],
        seed: 3,
        port: 0,
        ...(spec.canaryAccountFactory
          ? { factories: { [spec.venue]: spec.canaryAccountFactory(base) } }
          : {}),
      })
      cleanups.push(() => simulator.close())
      const credentials: CredentialsInput = useCanary
        ? {
            apiKey: spec.validCredentials.apiKey,
            secret: spec.canarySecret ?? CANARY_SECRET,
            ...(spec.validCredentials.passphrase !== undefined ? { passphrase: CANARY_PASSPHRASE } : {}),
          }
        : spec.validCredentials
      // Without custom accounts the venue's own secret is the canary.
      const canaries = useCanary
        ? [CANARY_SECRET, CANARY_PASSPHRASE, ...(spec.canarySecret ? [spec.canarySecret] : [])]
        : [spec.validCredentials.secret ?? '', spec.validCredentials.passphrase ?? ''].filter(Boolean)
      const { outcome, trap } = await session(credentials, simulator, canaries, true)
      expect(outcome).toBeNull()
      expect(trap.texts.some((entry) => entry.where === 'event.balance')).toBe(true)
    })

    it('refuses plain ws:// to a non-loopback host unless allowInsecure is set', async () => {
      const address = nonLoopbackAddress()
      if (address === null) return // No non-loopback interface: nothing to prove on this machine.
      const server: Server = createServer((_request, response) => {
        response.writeHead(404).end('{}')
      })
      // Any TCP connection counts (a WebSocket upgrade or a REST call): a refusal makes none.
      let connections = 0
      server.on('connection', () => {
        connections++
      })
      server.on('upgrade', (_request, socket) => socket.destroy())
      await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve))
      cleanups.push(
        () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections()
            server.close(() => resolve())
          }),
      )
      const port = (server.address() as AddressInfo).port
      for (const host of [`${address}:${port}`, `localhost@${address}:${port}`]) {
        let refusal: unknown = null
        try {
          const adapter = spec.create({ wsUrl: `ws://${host}`, restUrl: `http://${host}` })
          cleanups.push(() => adapter.close())
          refusal = await settle(adapter.subscribe({ channel: 'trades', symbols: ['BTC/USDT'] }).ready, 1_500)
          await adapter.close()
        } catch (error) {
          refusal = error
        }
        expect(refusal, host).toBeInstanceOf(ConfigError)
        expect(connections, host).toBe(0)
      }
      const allowed = spec.create({
        wsUrl: `ws://${address}:${port}`,
        restUrl: `http://${address}:${port}`,
        allowInsecure: true,
        reconnect: { baseDelayMs: 50, maxDelayMs: 200 },
      })
      cleanups.push(() => allowed.close())
      const subscription = allowed.subscribe({ channel: 'trades', symbols: ['BTC/USDT'] })
      subscription.ready.catch(() => undefined)
      const startedAt = Date.now()
      while (connections === 0 && Date.now() - startedAt < 10_000) await new Promise((r) => setTimeout(r, 20))
      expect(connections).toBeGreaterThan(0)
      await allowed.close()
    })
  })
}

/** A factory wrapper that passes extra options (such as `accounts`) to a simulator venue module. */
export function withModuleOptions(
  extra: Record<string, unknown>,
): (base: VenueModuleFactory) => VenueModuleFactory {
  return (base) => (options: VenueModuleOptions) => base({ ...options, ...extra } as VenueModuleOptions)
}
