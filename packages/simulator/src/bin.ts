#!/usr/bin/env node
import { runSimulatorCli } from './run-simulator-cli'

// Exit through exitCode so a clean close (no handles left) ends the process by itself.
runSimulatorCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  },
)
