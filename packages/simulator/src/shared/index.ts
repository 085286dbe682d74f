// Helpers shared by the venue modules (import from '../../shared'):
// - formatPrice/formatSize/priceOf/sizeOf/toTicks/toLots: exact decimal text from ticks/lots.
// - ConnectionSet + Outbound: per-connection sender with the connection faults and frame counting.
// - TokenBucket: inbound message rate limits.
// - RestFaultGate: 429/5xx/timeout for the next N REST requests, optionally per path.
// - safeEqual: constant-time signature compare. replyJson: JSON REST answers. scaledMs: timeScale.
export { ConnectionSet } from './connection-set'
export type { FormatDecimalOptions } from './format-decimal'
export { formatPrice, formatSize, formatUnits, priceOf, sizeOf, toLots, toTicks } from './format-decimal'
export { replyJson } from './json-reply'
export type { OutboundOptions, SentCounter } from './outbound'
export { CONNECTION_FAULT_KINDS, Outbound } from './outbound'
export type { RestFault, RestFaultGateOptions } from './rest-fault-gate'
export { RestFaultGate } from './rest-fault-gate'
export { safeEqual } from './safe-equal'
export { scaledMs } from './time-scale'
export type { TokenBucketOptions } from './token-bucket'
export { TokenBucket } from './token-bucket'
