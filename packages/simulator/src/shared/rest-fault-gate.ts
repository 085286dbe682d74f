import type { IncomingMessage, ServerResponse } from 'node:http'
import type { SimFault } from '../sim-types'
import { replyJson } from './json-reply'

// REST faults (429 / 5xx / timeout for the next N requests, optionally only on one path). A venue
// module calls `intercept()` first in `handleHttp` and returns true when it did.

export type RestFault = Extract<SimFault, { kind: 'rest' }>

export interface RestFaultGateOptions {
  /** The venue's error body for a status (default `{ code, msg }`). */
  errorBody?: (status: number) => unknown
  /** A `timeout` request is held this long, then its socket destroyed. Default 60 000 ms. */
  holdMs?: number
}

interface ArmedFault {
  status: RestFault['status']
  remaining: number
  path: string | null
}

export class RestFaultGate {
  private readonly armed: ArmedFault[] = []
  private readonly held = new Map<ServerResponse, ReturnType<typeof setTimeout>>()
  private readonly errorBody: (status: number) => unknown
  private readonly holdMs: number

  constructor(options: RestFaultGateOptions = {}) {
    this.errorBody = options.errorBody ?? ((status) => ({ code: status, msg: statusText(status) }))
    this.holdMs = options.holdMs ?? 60_000
  }

  /** The next `count` (default 1) requests — on `path` only, when given — fail with `status`. */
  arm(fault: RestFault): void {
    this.armed.push({ status: fault.status, remaining: fault.count ?? 1, path: fault.path ?? null })
  }

  /** Pending faulty answers (all paths). */
  get pending(): number {
    let total = 0
    for (const fault of this.armed) total += fault.remaining
    return total
  }

  /** Answers (or holds, for `timeout`) the request when a fault is armed for it; true if it did. */
  intercept(_request: IncomingMessage, response: ServerResponse, url: URL): boolean {
    const index = this.armed.findIndex((fault) => fault.path === null || fault.path === url.pathname)
    if (index < 0) return false
    const fault = this.armed[index] as ArmedFault
    fault.remaining--
    if (fault.remaining <= 0) this.armed.splice(index, 1)
    if (fault.status === 'timeout') {
      const timer = setTimeout(() => {
        this.held.delete(response)
        response.socket?.destroy()
      }, this.holdMs)
      this.held.set(response, timer)
      return true
    }
    replyJson(
      response,
      fault.status,
      this.errorBody(fault.status),
      fault.status === 429 ? { 'retry-after': '1' } : {},
    )
    return true
  }

  /** Drops armed faults and destroys held requests. */
  close(): void {
    this.armed.length = 0
    for (const [response, timer] of this.held) {
      clearTimeout(timer)
      response.socket?.destroy()
    }
    this.held.clear()
  }
}

function statusText(status: number): string {
  if (status === 429) return 'Too many requests'
  if (status === 502) return 'Bad gateway'
  if (status === 503) return 'Service unavailable'
  return 'Internal error'
}
