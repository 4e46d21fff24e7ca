/**
 * The built CLI as a child process, for the tests of its commands: the run users and CI get.
 * @module
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../../src/package-root.js'

export const cli = join(packageRoot, 'dist', 'src', 'cli', 'main.js')

export interface Outcome {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * The child is a CLI of its own, not a vitest worker: it inherits none of this run's vitest variables, nor colour,
 * job-summary or secret settings a test did not ask for.
 */
const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') &&
  !['FORCE_COLOR', 'NO_COLOR', 'GITHUB_STEP_SUMMARY', 'OOB_CLIENT_SECRET'].includes(name)))

/** `npm test` builds first (pretest); this covers a direct `vitest run` on a fresh clone. */
export function ensureBuilt(): void {
  if (!existsSync(cli)) execFileSync('npm', ['run', 'build'], { cwd: packageRoot, stdio: 'ignore' })
}

export interface CliOptions {
  cwd?: string
  /** Added to the environment; `undefined` removes a variable (NO_COLOR, for a coloured run). */
  env?: Record<string, string | undefined>
}

/** Starts `oob-conformance ARGS…` (NO_COLOR=1 unless `env` says otherwise); `stderr()` reads what it wrote so far. */
export function startCli(args: string[], options: CliOptions = {}):
  { child: ChildProcess; done: Promise<Outcome>; stderr: () => string } {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: options.cwd ?? packageRoot,
    env: Object.fromEntries(Object.entries({ ...inherited, NO_COLOR: '1', ...options.env })
      .filter(([, value]) => value !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk) => (stdout += chunk))
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  const done = new Promise<Outcome>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
  return { child, done, stderr: () => stderr }
}

export function runCli(args: string[], options: CliOptions = {}): Promise<Outcome> {
  return startCli(args, options).done
}
