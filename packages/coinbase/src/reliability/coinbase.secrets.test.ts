import { vi } from 'vitest'
import { CANARY_PASSPHRASE, CANARY_SECRET_BASE64 } from '../../../../test-support/reliability/secret-canary'
import { describeSecretHygiene, withModuleOptions } from '../../../../test-support/reliability/secret-hygiene'
import { createCoinbase } from '../create-coinbase'

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

const SIM_API_KEY = 'tickmesh-sim-coinbase-key'

describeSecretHygiene({
  timingSafeCompares: () => compares.count,
  venue: 'coinbase',
  create: (settings) => createCoinbase(settings),
  validCredentials: {
    apiKey: SIM_API_KEY,
    secret: 'c2VjcmV0LWtleS1mb3ItdGVzdGluZw==',
    passphrase: 'tickmesh-sim-passphrase',
  },
  // Coinbase secrets are base64 as issued.
  canarySecret: CANARY_SECRET_BASE64,
  privateSymbols: ['BTC/USD'],
  canaryAccountFactory: withModuleOptions({
    accounts: [{ apiKey: SIM_API_KEY, secret: CANARY_SECRET_BASE64, passphrase: CANARY_PASSPHRASE }],
  }),
})
