import { parseArgs } from 'node:util'
import { ConfigError, isVenueId, VENUES, type VenueId } from '@tickmesh/core'
import { FAULT_PRESETS, type PeriodicFault, parseFaultSpecs } from './server/fault-spec'
import { type StartSimulatorOptions, startSimulator } from './server/start-simulator'

export interface SimulatorCliIo {
  stdout(line: string): void
  stderr(line: string): void
  /** Aborted when the simulator should stop. Default: the first SIGINT or SIGTERM. */
  stopSignal?: AbortSignal
}

export const SIMULATOR_CLI_USAGE = `Usage: tickmesh-sim [options]

Serves simulated Binance, Bybit, OKX and Coinbase venues on loopback and prints one JSON line per
venue ({"venue","ws","rest"}), then serves until SIGINT/SIGTERM.

Options:
  --seed N              market seed (default 1)
  --port N              port of the first venue, the next get N+1… (default 0 = ephemeral)
  --host H              listen address (default 127.0.0.1)
  --venues a,b          venues to serve (default: all available)
  --rate N              messages/s per stream (default: each venue's real cadence)
  --firehose            send as fast as clients drain (benchmarks)
  --okx-checksums       send real OKX CRC32 checksums instead of 0
  --time-scale X        shrink venue keepalive/lifetime timers (e.g. 0.01)
  --faults SPECS        periodic faults, kind@venue:everyMs[,…] e.g. drop@binance:5000
                        kinds: ${Object.keys(FAULT_PRESETS).join(', ')}
  -h, --help            show this help`

function integer(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`--${name} must be an integer from ${min} to ${max}, got "${text}".`)
  }
  return value
}

function positive(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!(value > 0) || !Number.isFinite(value))
    throw new ConfigError(`--${name} must be a positive number, got "${text}".`)
  return value
}

/** Parses the command line into simulator options; throws ConfigError on a bad flag. */
export function parseSimulatorArgs(argv: readonly string[]): StartSimulatorOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      seed: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      venues: { type: 'string' },
      rate: { type: 'string' },
      firehose: { type: 'boolean' },
      'okx-checksums': { type: 'boolean' },
      'time-scale': { type: 'string' },
      faults: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help === true) return 'help'
  const options: StartSimulatorOptions = {}
  const seed = integer('seed', values.seed, -2_147_483_648, 4_294_967_295)
  if (seed !== undefined) options.seed = seed
  const port = integer('port', values.port, 0, 65_535)
  if (port !== undefined) options.port = port
  if (values.host !== undefined) options.host = values.host
  if (values.venues !== undefined) {
    const venues: VenueId[] = []
    for (const name of values.venues.split(',')) {
      const venue = name.trim()
      if (!isVenueId(venue))
        throw new ConfigError(`Unknown venue "${venue}" in --venues; venues: ${VENUES.join(', ')}.`)
      venues.push(venue)
    }
    options.venues = venues
  }
  const rate = positive('rate', values.rate)
  if (rate !== undefined) options.rate = rate
  if (values.firehose === true) options.firehose = true
  if (values['okx-checksums'] === true) options.okxChecksums = true
  const timeScale = positive('time-scale', values['time-scale'])
  if (timeScale !== undefined) options.timeScale = timeScale
  if (values.faults !== undefined) {
    const faults: PeriodicFault[] = parseFaultSpecs(values.faults)
    options.faults = faults
  }
  return options
}

function signalStop(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController()
  const stop = (): void => controller.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
    },
  }
}

/** `tickmesh-sim`: starts the simulator, prints the venues' URLs, serves until stopped. Returns the exit code. */
export async function runSimulatorCli(
  argv: readonly string[],
  io: SimulatorCliIo = {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  },
  /** Options the command line cannot set (custom venue modules, market settings). */
  base: StartSimulatorOptions = {},
): Promise<number> {
  let options: StartSimulatorOptions | 'help'
  try {
    options = parseSimulatorArgs(argv)
  } catch (error) {
    io.stderr(error instanceof Error ? error.message : String(error))
    io.stderr('Run tickmesh-sim --help for the options.')
    return 2
  }
  if (options === 'help') {
    io.stdout(SIMULATOR_CLI_USAGE)
    return 0
  }
  const stop = io.stopSignal === undefined ? signalStop() : { signal: io.stopSignal, dispose: () => {} }
  try {
    const simulator = await startSimulator({ ...base, ...options })
    for (const venue of simulator.servedVenues) {
      const endpoints = simulator.venues[venue]
      io.stdout(JSON.stringify({ venue, ws: endpoints.ws, rest: endpoints.rest }))
    }
    if (!stop.signal.aborted) {
      await new Promise<void>((resolve) =>
        stop.signal.addEventListener('abort', () => resolve(), { once: true }),
      )
    }
    await simulator.close()
    return 0
  } catch (error) {
    io.stderr(error instanceof Error ? error.message : String(error))
    return 1
  } finally {
    stop.dispose()
  }
}
