#!/usr/bin/env node
import { processIo } from './io'
import { main } from './program'

// Ctrl-C / SIGTERM stop streaming commands cleanly (sockets closed, exit 0); a second one forces exit.
const controller = new AbortController()
let signals = 0
const onSignal = (): void => {
  signals++
  if (signals > 1) process.exit(130)
  controller.abort()
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)

main(process.argv, processIo(controller.signal)).then((code) => {
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
  process.exitCode = code
  // Everything is closed by now; this only guards against a leaked handle keeping the process alive.
  setTimeout(() => process.exit(code), 2_000).unref()
})
