import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, ConnectionError } from '@tickmesh/core'

export interface StartNatsServerOptions {
  /** The nats-server binary (default `nats-server` on the PATH, or `$NATS_SERVER_BIN`). */
  binary?: string
  /** Port to listen on; 0 (default) lets the server pick a free loopback port. */
  port?: number
  /** JetStream store directory; a fresh temp directory (removed on `stop`) when absent. */
  storeDir?: string
  /** How long to wait for "Server is ready" (default 15 000 ms). */
  startTimeoutMs?: number
}

/** A nats-server child process with JetStream enabled, listening on 127.0.0.1. */
export interface NatsServerHandle {
  /** `nats://127.0.0.1:<port>`. */
  readonly url: string
  readonly port: number
  readonly storeDir: string
  /** Stops the process but keeps the store, so `restart()` brings back the same streams. */
  pause(): Promise<void>
  /** Starts the process again on the same port and store (after `pause`). */
  restart(): Promise<void>
  /** Stops the process and removes a temp store directory. Safe to call twice. */
  stop(): Promise<void>
}

const READY_LINE = /Listening for client connections on [^\s]+:(\d+)/

/**
 * Starts a real `nats-server -js` for tests and local runs. Fails with a clear `ConfigError` when the
 * binary is missing: CI installs it (`apt-get install -y nats-server`), so a test must not skip.
 */
export async function startNatsServer(options: StartNatsServerOptions = {}): Promise<NatsServerHandle> {
  const binary = options.binary ?? process.env.NATS_SERVER_BIN ?? 'nats-server'
  const ownsStore = options.storeDir === undefined
  const storeDir = options.storeDir ?? (await mkdtemp(join(tmpdir(), 'tickmesh-nats-')))
  const startTimeoutMs = options.startTimeoutMs ?? 15_000
  let child: ChildProcess | null = null
  let port = options.port ?? 0
  let stopped = false

  const launch = async (): Promise<void> => {
    const started = await spawnServer(binary, port === 0 ? -1 : port, storeDir, startTimeoutMs)
    child = started.child
    port = started.port
  }

  const kill = async (): Promise<void> => {
    const running = child
    child = null
    if (running === null || running.exitCode !== null || running.signalCode !== null) return
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => running.kill('SIGKILL'), 5_000)
      running.once('exit', () => {
        clearTimeout(timer)
        resolve()
      })
      running.kill('SIGTERM')
    })
  }

  try {
    await launch()
  } catch (error) {
    if (ownsStore) await rm(storeDir, { recursive: true, force: true })
    throw error
  }
  return {
    get url() {
      return `nats://127.0.0.1:${port}`
    },
    get port() {
      return port
    },
    storeDir,
    pause: kill,
    restart: async () => {
      if (stopped) throw new ConfigError('This nats-server was stopped; start a new one.')
      await kill()
      await launch()
    },
    stop: async () => {
      if (stopped) return
      stopped = true
      await kill()
      if (ownsStore) await rm(storeDir, { recursive: true, force: true })
    },
  }
}

function spawnServer(
  binary: string,
  port: number,
  storeDir: string,
  startTimeoutMs: number,
): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    let settled = false
    const fail = (error: Error): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(error)
    }
    const timer = setTimeout(() => {
      fail(
        new ConnectionError(`nats-server did not become ready within ${startTimeoutMs} ms.`, {
          details: { binary, port, output: output.slice(-800) },
          hint: 'Check that the port is free and the store directory is writable.',
        }),
      )
    }, startTimeoutMs)
    const onData = (chunk: Buffer): void => {
      if (settled) return
      output += chunk.toString('utf8')
      const match = READY_LINE.exec(output)
      if (match !== null && output.includes('Server is ready')) {
        settled = true
        clearTimeout(timer)
        // Keep draining the pipes so a chatty server never blocks on a full pipe.
        child.stdout?.resume()
        child.stderr?.resume()
        resolve({ child, port: Number(match[1]) })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('error', (error: NodeJS.ErrnoException) => {
      fail(
        error.code === 'ENOENT'
          ? new ConfigError(`nats-server was not found ("${binary}").`, {
              cause: error,
              hint: 'Install it (Debian/Ubuntu: apt-get install -y nats-server) or set NATS_SERVER_BIN; the NATS tests need a real server and do not skip.',
            })
          : new ConnectionError(`nats-server could not be started: ${error.message}`, { cause: error }),
      )
    })
    child.once('exit', (code, signal) => {
      fail(
        new ConnectionError(`nats-server exited before it was ready (code ${code}, signal ${signal}).`, {
          details: { binary, port, output: output.slice(-800) },
          hint: 'Another process may hold the port, or the store directory is not writable.',
        }),
      )
    })
  })
}
