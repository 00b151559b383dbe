import { readFile } from 'node:fs/promises'

/** This process and its children (dynalite), from /proc. */
export async function processTree(pid: number): Promise<number[]> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')
  const childPids = children.trim().split(/\s+/).filter(Boolean).map(Number)
  const nested = await Promise.all(childPids.map(processTree))
  return [pid, ...nested.flat()]
}

/** User plus system CPU time the processes have used so far (all their threads), from /proc. */
export async function cpuSeconds(pids: number[]): Promise<number> {
  const ticksPerSecond = 100
  let ticks = 0
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    ticks += Number(fields[11]) + Number(fields[12])
  }
  return ticks / ticksPerSecond
}
