import type { WebSocket } from 'ws'
import type { SimFault } from '../sim-types'
import { CONNECTION_FAULT_KINDS, Outbound, type OutboundOptions, type SentCounter } from './outbound'

/**
 * A venue module's open connections: wraps each socket in an `Outbound`, forgets it on close, fans
 * connection-level faults out to all of them and backs `sentFrames` / `connectionCount` / `close()`.
 */
export class ConnectionSet {
  readonly counter: SentCounter = { sentFrames: 0 }
  private readonly connections = new Set<Outbound>()
  private readonly defaults: Omit<OutboundOptions, 'counter'>

  constructor(defaults: Omit<OutboundOptions, 'counter'> = {}) {
    this.defaults = defaults
  }

  /** Wraps a new socket; `onClose` runs once when it closes (clear that connection's timers there). */
  attach(socket: WebSocket, options: Omit<OutboundOptions, 'counter'> = {}): Outbound {
    const outbound = new Outbound(socket, { ...this.defaults, ...options, counter: this.counter })
    this.connections.add(outbound)
    socket.once('close', () => this.connections.delete(outbound))
    return outbound
  }

  get size(): number {
    return this.connections.size
  }

  get sentFrames(): number {
    return this.counter.sentFrames
  }

  [Symbol.iterator](): IterableIterator<Outbound> {
    return this.connections.values()
  }

  /** Applies a connection-level fault to every open connection; false for other kinds. */
  applyFault(fault: SimFault): boolean {
    if (!CONNECTION_FAULT_KINDS.has(fault.kind)) return false
    for (const outbound of [...this.connections]) outbound.apply(fault)
    return true
  }

  /** Terminates every connection (server close). */
  closeAll(): void {
    for (const outbound of this.connections) outbound.terminate()
    this.connections.clear()
  }
}
