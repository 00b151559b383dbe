import { spawn } from 'node:child_process'

/**
 * Runs one side of a benchmark in a fresh Node process (`--expose-gc`, so heap figures are not left
 * over from the other side) and reads the one JSON line it prints.
 */
export async function runMeasuredChild<T>(script: string, args: string[], what: string): Promise<T> {
  const child = spawn(process.execPath, ['--expose-gc', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  if (code !== 0) throw new Error(`the ${what} run exited with ${code}`)
  return JSON.parse(output) as T
}

/** An integer command-line option within bounds, or an error naming it. */
export function integerOption(name: string, text: unknown, min: number, max: number): number {
  const value = /^\d+$/.test(String(text)) ? Number(text) : Number.NaN
  if (!(value >= min && value <= max))
    throw new Error(`--${name} must be an integer from ${min} to ${max}, not ${String(text)}`)
  return value
}
