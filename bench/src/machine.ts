import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'

export interface MachineInfo {
  cpu: string
  cores: number
  node: string
  date: string
  loadAverage: string
  /** The commit measured, with `+changes` when the working tree differed from it. */
  commit: string
}

export function machineInfo(): MachineInfo {
  let cpu = cpus()[0]?.model ?? 'unknown'
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('model name'))
    if (line !== undefined) cpu = line.slice(line.indexOf(':') + 1).trim()
  } catch {
    // Not Linux: os.cpus() already named the CPU.
  }
  return {
    cpu,
    cores: cpus().length,
    node: process.version,
    date: new Date().toISOString(),
    loadAverage: currentLoad(),
    commit: gitCommit(),
  }
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
    }).trim()
    return dirty.length > 0 ? `${head}+changes` : head
  } catch {
    return 'unknown (not a git checkout)'
  }
}

/** 1/5/15-minute load averages: above the core count, other processes were competing for the CPU. */
export function currentLoad(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ')
}
