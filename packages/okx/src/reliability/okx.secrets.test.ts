import { vi } from 'vitest'
import { describeSecretHygiene } from '../../../../test-support/reliability/secret-hygiene'
import { createOkx } from '../okx-adapter'

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

// The simulated OKX accepts one fixed account; its secret and passphrase are the canaries of the
// accepted-login case.
describeSecretHygiene({
  timingSafeCompares: () => compares.count,
  venue: 'okx',
  create: (settings) => createOkx(settings),
  validCredentials: {
    apiKey: 'okx-sim-api-key',
    secret: 'okx-sim-secret-22582BD0CFF14C41',
    passphrase: 'okx-sim-passphrase',
  },
})
