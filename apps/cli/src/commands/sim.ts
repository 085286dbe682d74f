import { TickmeshError } from '@tickmesh/core'
import { runSimulatorCli } from '@tickmesh/simulator'
import type { Command } from 'commander'
import type { CliContext } from '../context'
import { UsageError } from '../errors'

interface SimOptions {
  seed?: string
  port?: string
  host?: string
  venues?: string
  rate?: string
  faults?: string
  okxChecksums?: boolean
}

export function registerSim(program: Command, context: CliContext): void {
  program
    .command('sim')
    .description('run the simulated venues standalone on loopback; prints their URLs as JSON lines')
    .option('--seed <n>', 'market seed (same seed, same market)', '1')
    .option('--port <n>', 'port of the first venue, the next get +1, +2… (0 = ephemeral)')
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--venues <list>', 'venues to serve (default all)')
    .option('--rate <n>', "messages per second per stream (default: each venue's real cadence)")
    .option('--faults <specs>', 'periodic faults, kind@venue:everyMs[,…], e.g. drop@binance:5000')
    .option('--okx-checksums', 'send real OKX CRC32 checksums')
    .addHelpText(
      'after',
      `
Point any client at the printed URLs; tickmesh's own commands use --sim to run one in-process.

Examples:
  $ tickmesh sim --seed 7
  $ tickmesh sim --port 9100 --faults drop@binance:5000,sequenceGap@okx:10000`,
    )
    .action(async (raw: SimOptions) => {
      const args: string[] = []
      if (raw.seed !== undefined) args.push('--seed', raw.seed)
      if (raw.port !== undefined) args.push('--port', raw.port)
      if (raw.host !== undefined) args.push('--host', raw.host)
      if (raw.venues !== undefined) args.push('--venues', raw.venues)
      if (raw.rate !== undefined) args.push('--rate', raw.rate)
      if (raw.faults !== undefined) args.push('--faults', raw.faults)
      if (raw.okxChecksums === true) args.push('--okx-checksums')
      const { io } = context
      const stop = io.signal ?? new AbortController().signal
      let usage: string | null = null
      const code = await runSimulatorCli(
        args,
        {
          stdout: (line) => io.stdout.write(`${line}\n`),
          stderr: (line) => {
            // The simulator's own usage hint names its standalone binary; keep the first line only.
            if (line.startsWith('Run tickmesh-sim')) return
            usage ??= line
          },
          stopSignal: stop,
        },
        context.deps.simulator ?? {},
      )
      if (code === 2) {
        throw new UsageError(usage ?? 'Invalid simulator option.', {
          hint: 'Run tickmesh sim --help for the options.',
        })
      }
      if (code !== 0) {
        throw new TickmeshError(usage ?? `The simulator stopped with code ${code}.`, {
          hint: 'Check that the ports are free (--port 0, the default, picks free ones).',
        })
      }
    })
}
