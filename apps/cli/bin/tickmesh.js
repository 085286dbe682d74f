#!/usr/bin/env node
// A committed launcher, so package managers can link `tickmesh` before the first build; the code is dist/bin.js.
import('../dist/bin.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/bin.js')) {
    process.stderr.write('tickmesh is not built yet: run `pnpm build` at the repository root first.\n')
    process.exit(1)
  }
  throw error
})
