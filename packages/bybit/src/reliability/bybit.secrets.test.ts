import { vi } from 'vitest'
import { describeSecretHygiene } from '../../../../test-support/reliability/secret-hygiene'
import { createBybit } from '../create-bybit'

// Every constant-time compare in the process is counted: the simulator must judge a login with one.
const compares = vi.hoisted(() => ({ count: 0 }))
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>()
  return {
    ...real,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      compares.count++
      return real.timingSafeEqual(a, b)
    },
  }
})

// The simulated Bybit accepts one fixed account; its secret is the canary of the accepted-login case.
describeSecretHygiene({
  timingSafeCompares: () => compares.count,
  venue: 'bybit',
  create: (settings) => createBybit(settings),
  validCredentials: { apiKey: 'bybit-sim-api-key', secret: 'bybit-sim-secret-7D3A91C2' },
})
