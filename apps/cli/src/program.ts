import { Command, CommanderError } from 'commander'
import { registerArb } from './commands/arb'
import { registerBook } from './commands/book'
import { registerCollect } from './commands/collect'
import { registerLatency } from './commands/latency'
import { registerRecord } from './commands/record'
import { registerReplay } from './commands/replay'
import { registerServe } from './commands/serve'
import { registerSim } from './commands/sim'
import { registerStream } from './commands/stream'
import { registerWatch } from './commands/watch'
import type { CliContext, CliDependencies } from './context'
import { EXIT_OK, EXIT_USAGE, exitCodeOf, formatError } from './errors'
import { type CliIo, printError, processIo } from './io'
import { CLI_VERSION } from './version'

/** Adds one command to the program. Every command file exports one of these. */
export type CommandRegistrar = (program: Command, context: CliContext) => void

/** The commands, one line each: add yours here. */
const COMMANDS: readonly CommandRegistrar[] = [
  registerWatch,
  registerStream,
  registerArb,
  registerBook,
  registerRecord,
  registerReplay,
  registerSim,
  registerLatency,
  registerCollect,
  registerServe,
]

/** Builds the commander program; nothing runs until it is parsed. */
export function createProgram(context: CliContext): Command {
  const program = new Command('tickmesh')
  program
    .description('Real-time crypto market data from Binance, Bybit, OKX and Coinbase in your terminal.')
    .version(CLI_VERSION, '-v, --version', 'print the version')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => context.io.stdout.write(text),
      writeErr: (text) => context.io.stderr.write(text),
      outputError: (text, write) => write(`Error: ${text.replace(/^error: /, '')}`),
    })
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ tickmesh watch BTC/USDT ETH/USDT --sim        live dashboard against the built-in simulator
  $ tickmesh stream BTC/USDT --channels trades --json | jq .price
  $ tickmesh record BTC/USDT --out btc.ndjson.gz --duration 5m
  $ tickmesh replay btc.ndjson.gz --json --speed max

Exit codes: 0 done, 1 runtime failure (network, venue, file), 2 usage error.`,
    )
  for (const register of COMMANDS) register(program, context)
  // Subcommands inherit the output settings so their errors and help go to the injected streams.
  for (const command of program.commands) {
    command.exitOverride().showSuggestionAfterError(true)
    command.configureOutput(program.configureOutput())
  }
  return program
}

/**
 * Runs the CLI with `argv` as `process.argv` spells it (`node`, script, args…) and returns the exit
 * code: 0 done, 1 runtime failure, 2 usage error. Never throws and never calls `process.exit`.
 */
export async function main(
  argv: readonly string[],
  io: CliIo = processIo(),
  deps: CliDependencies = {},
): Promise<number> {
  const program = createProgram({ io, deps })
  try {
    await program.parseAsync([...argv], { from: 'node' })
    return EXIT_OK
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed the message (or the help/version, exit code 0).
      if (error.exitCode === 0) return EXIT_OK
      if (!error.code.startsWith('commander.help')) {
        printError(io, 'Run the command with --help for its options and examples.')
      }
      return EXIT_USAGE
    }
    printError(io, formatError(error, io.env.TICKMESH_DEBUG === '1'))
    return exitCodeOf(error)
  }
}
