/**
 * Runs the built CLI as a child process, with a hard bound: a run that outlives it is killed and reported as
 * not finished, which is exactly the failure the hostile-server self-test exists to catch.
 * @module
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../../src/package-root.js'

export const CLI = join(packageRoot, 'dist', 'src', 'cli', 'main.js')

export interface CliOutcome {
  /** null when the run was killed at the bound. */
  exitCode: number | null
  stdout: string
  stderr: string
}

/** `npm test` builds nothing first; a fresh clone gets `dist/` here. */
export function ensureBuilt(): void {
  if (!existsSync(CLI)) execFileSync('npm', ['run', 'build'], { cwd: packageRoot, stdio: 'ignore' })
}

export function runCli(args: string[], options: { boundMs: number; env?: Record<string, string> }):
  Promise<CliOutcome> {
  // The child is a CLI of its own, not a vitest worker: it must not inherit this run's vitest variables.
  const env = Object.fromEntries(Object.entries(process.env)
    .filter(([name]) => !name.startsWith('VITEST') && name !== 'FORCE_COLOR'))
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: packageRoot,
      env: { ...env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.boundMs)
    child.once('error', reject)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ exitCode: code, stdout, stderr })
    })
  })
}
