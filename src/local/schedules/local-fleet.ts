import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export const LOCAL_FLEET_FILE = 'chaos-fleet.json'

/**
 * A fleet to watch the chaos monkey on: two opted-in running instances (its only candidates), one
 * running without the tag and one opted in but stopped (never touched).
 */
const SAMPLE_FLEET = {
  instances: [
    {
      instanceId: 'i-0c4a0e5b1d2f30001',
      state: 'running',
      tags: { Name: 'web-1', 'chaos-monkey': 'opt-in' },
    },
    {
      instanceId: 'i-0c4a0e5b1d2f30002',
      state: 'running',
      tags: { Name: 'web-2', 'chaos-monkey': 'opt-in' },
    },
    { instanceId: 'i-0c4a0e5b1d2f30003', state: 'running', tags: { Name: 'database' } },
    {
      instanceId: 'i-0c4a0e5b1d2f30004',
      state: 'stopped',
      tags: { Name: 'batch', 'chaos-monkey': 'opt-in' },
    },
  ],
}

/**
 * The local cloud's stand-in for EC2: `<data folder>/chaos-fleet.json`, written with a sample fleet
 * the first time (an existing file is left as it is, terminated instances included), and the
 * environment that points the chaos monkey at it instead of EC2. The file is kept in the data folder
 * with `--in-memory` too, like endpoints.json, so a developer can read and edit it.
 */
export async function prepareLocalFleet(dataDir: string): Promise<Record<string, string>> {
  const file = join(dataDir, LOCAL_FLEET_FILE)
  try {
    await writeFile(file, `${JSON.stringify(SAMPLE_FLEET, null, 2)}\n`, { flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return { CHAOS_FLEET: 'local', CHAOS_FLEET_FILE: file }
}
