import { networkInterfaces } from 'node:os'
import { inspect } from 'node:util'
import type { Logger, MarketEvent, RawItem } from '@tickmesh/core'

// Secret hygiene: a canary secret goes into the credentials, then every place a secret could leak
// to (logs, thrown errors and their causes, events, raw frames and recordings, console output) is
// collected as text and searched for it.

/** Distinctive values nobody would log by accident; `leaksOf` also finds their base64 forms. */
export const CANARY_SECRET = 'tmCanarySecret0x5EC12E7AB1E9F00D'
export const CANARY_PASSPHRASE = 'tmCanaryPassphrase0x7A55'

/** Coinbase secrets are base64: the canary's base64, which decodes to bytes holding the canary. */
export const CANARY_SECRET_BASE64 = Buffer.from(CANARY_SECRET, 'utf8').toString('base64')

const CANARIES = [CANARY_SECRET, CANARY_PASSPHRASE, CANARY_SECRET_BASE64]

/** Everything an error carries: message, hint, details, stack and the whole cause chain. */
export function describeError(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    parts.push(inspect(current, { depth: 10, showHidden: true, getters: false }))
    if (current instanceof Error) {
      parts.push(String(current.stack))
      try {
        parts.push(JSON.stringify(current))
      } catch {
        // A circular error still had its inspect text collected.
      }
      current = (current as { cause?: unknown }).cause
    } else break
  }
  return parts.join('\n')
}

function stringifyFields(fields: Record<string, unknown> | undefined): string {
  if (fields === undefined) return ''
  const values: string[] = [inspect(fields, { depth: 10 })]
  for (const value of Object.values(fields)) if (value instanceof Error) values.push(describeError(value))
  try {
    values.push(JSON.stringify(fields))
  } catch {
    // inspect covered it.
  }
  return values.join(' ')
}

/** A sink for every output of an adapter session. */
export class LeakTrap {
  readonly texts: Array<{ where: string; text: string }> = []
  private restoreConsole: (() => void) | null = null

  readonly logger: Logger = {
    debug: (message, fields) => this.add('logger.debug', `${message} ${stringifyFields(fields)}`),
    info: (message, fields) => this.add('logger.info', `${message} ${stringifyFields(fields)}`),
    warn: (message, fields) => this.add('logger.warn', `${message} ${stringifyFields(fields)}`),
    error: (message, fields) => this.add('logger.error', `${message} ${stringifyFields(fields)}`),
  }

  add(where: string, text: string): void {
    this.texts.push({ where, text })
  }

  event(event: MarketEvent): void {
    this.add(`event.${event.kind}`, JSON.stringify(event))
  }

  raw(item: RawItem): void {
    this.add(`raw.${item.kind}`, `${item.url} ${item.data}`)
  }

  error(where: string, error: unknown): void {
    this.add(where, describeError(error))
  }

  /** Also collects anything written to stdout/stderr or the console until `release()`. */
  captureConsole(): void {
    const stdout = process.stdout.write.bind(process.stdout)
    const stderr = process.stderr.write.bind(process.stderr)
    const original = { ...console }
    const collect =
      (where: string) =>
      (...args: unknown[]): void =>
        this.add(
          where,
          args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 10 }))).join(' '),
        )
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      this.add('stdout', String(chunk))
      return (stdout as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean)(chunk, ...rest)
    }) as typeof process.stdout.write
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      this.add('stderr', String(chunk))
      return (stderr as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean)(chunk, ...rest)
    }) as typeof process.stderr.write
    console.log = collect('console.log')
    console.info = collect('console.info')
    console.warn = collect('console.warn')
    console.error = collect('console.error')
    console.debug = collect('console.debug')
    this.restoreConsole = () => {
      process.stdout.write = stdout as typeof process.stdout.write
      process.stderr.write = stderr as typeof process.stderr.write
      Object.assign(console, original)
    }
  }

  release(): void {
    this.restoreConsole?.()
    this.restoreConsole = null
  }

  /** Places where a canary appeared, as `where: …context…` (empty when clean). */
  leaks(): string[] {
    return leaksOf(this.texts)
  }
}

export function leaksOf(
  texts: ReadonlyArray<{ where: string; text: string }>,
  canaries: readonly string[] = CANARIES,
): string[] {
  const found: string[] = []
  for (const { where, text } of texts) {
    for (const canary of canaries) {
      if (canary.length === 0) continue
      const at = text.indexOf(canary)
      if (at >= 0) found.push(`${where}: …${text.slice(Math.max(0, at - 60), at + canary.length + 20)}…`)
    }
  }
  return found
}

/** A non-loopback IPv4 address of this machine (to prove plain ws:// is refused to it), if any. */
export function nonLoopbackAddress(): string | null {
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.family === 'IPv4' && !entry.internal) return entry.address
    }
  }
  return null
}
