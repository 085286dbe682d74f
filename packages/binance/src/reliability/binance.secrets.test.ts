import { vi } from 'vitest'
import { CANARY_SECRET } from '../../../../test-support/reliability/secret-canary'
import { describeSecretHygiene, withModuleOptions } from '../../../../test-support/reliability/secret-hygiene'
import { createBinance } from '../binance-adapter'

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

// The simulator's built-in account (Binance's documented HMAC example) plus one whose secret is the canary.
const SIM_API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A'

describeSecretHygiene({
  timingSafeCompares: () => compares.count,
  venue: 'binance',
  create: (settings) => createBinance(settings),
  validCredentials: {
    apiKey: SIM_API_KEY,
    secret: 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j',
  },
  canaryAccountFactory: withModuleOptions({ accounts: [{ apiKey: SIM_API_KEY, secret: CANARY_SECRET }] }),
})
