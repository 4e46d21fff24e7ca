/**
 * The self-tests' way to run `oob-conformance check`: the built CLI (`dist/`) as a child process, against
 * the reference server or a mutant served by another child (`fixtures/mutants/serve.ts`). The run is the one
 * users and CI get; its verdict is read back from `results.json`.
 * @module
 */
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { packageRoot } from '../../src/package-root.js'
import type { Profile } from '../../src/profile.js'
import type { RunResults } from '../../src/results/model.js'

export interface CheckRun {
  exitCode: number
  results: RunResults
  /** The CLI's terminal output, for the message of a failing self-test. */
  output: string
}

/**
 * Short, like the embedded server's, with room for a loaded machine running several checks at once: a poll
 * sent "at once" must still arrive within `interval`, and no flow may outlive `expires_in`.
 */
const LIFETIMES = ['--interval', '2', '--expires-in', '30']

/** Bounds one run; a healthy one against a local server takes well under a minute. */
const RUN_TIMEOUT_MS = 240_000

const CLI = join(packageRoot, 'dist', 'src', 'cli', 'main.js')
const SERVE = join(packageRoot, 'dist', 'fixtures', 'mutants', 'serve.js')

export function runCli(args: string[]): Promise<{ exitCode: number; output: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], {
      cwd: packageRoot,
      timeout: RUN_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`
      if (error && typeof error.code !== 'number') {
        const why = error.signal ?? error.message
        reject(new Error(`oob-conformance check did not finish (${why}):\n${output}`))
      } else {
        resolve({ exitCode: typeof error?.code === 'number' ? error.code : 0, output })
      }
    })
  })
}

/** Starts `serve.js` for `target` and resolves with its URL and a way to stop it. */
export async function serve(target: string, profile: Profile): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [SERVE, target, '--profile', profile, ...LIFETIMES], {
    cwd: packageRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    // A mutant that crashes on purpose logs every exception: keep only the start, for a failed launch.
    if (stderr.length < 4000) stderr += chunk
  })
  const exited = once(child, 'exit')
  const [line] = await Promise.race([once(createInterface({ input: child.stdout }), 'line'), exited])
  const url = typeof line === 'string' ? (JSON.parse(line) as { url?: string }).url : undefined
  if (url === undefined) {
    child.kill()
    throw new Error(`serve.js ${target} --profile ${profile} did not start:\n${stderr}`)
  }
  return {
    url,
    async stop() {
      child.kill('SIGTERM')
      await exited
    },
  }
}

/**
 * Serves `target` (`reference` or a mutant's name) under `profile` and runs the full `check` against it with
 * `--seed 1` plus `flags`.
 */
export async function checkTarget(target: string, profile: Profile, flags: string[] = []): Promise<CheckRun> {
  const server = await serve(target, profile)
  const reportDir = await mkdtemp(join(tmpdir(), 'oob-self-'))
  try {
    const { exitCode, output } = await runCli(['check', '--base-url', server.url,
      '--control-url', `${server.url}/control`, '--profile', profile,
      '--report-dir', reportDir, '--seed', '1', ...flags])
    if (exitCode === 2) throw new Error(`oob-conformance check exited 2 (usage or target error):\n${output}`)
    const results = JSON.parse(await readFile(join(reportDir, 'results.json'), 'utf8')) as RunResults
    return { exitCode, results, output }
  } finally {
    await server.stop()
    await rm(reportDir, { recursive: true, force: true })
  }
}

/** A gate that lets at most `limit` tasks run at once; the others wait their turn in order. */
export function concurrencyLimit(limit: number): <R>(task: () => Promise<R>) => Promise<R> {
  let running = 0
  const waiting: (() => void)[] = []
  return async (task) => {
    if (running < limit) running++
    else await new Promise<void>((resolve) => waiting.push(resolve))
    try {
      return await task()
    } finally {
      // The slot passes straight to the next waiting task, or becomes free.
      const next = waiting.shift()
      if (next) next()
      else running--
    }
  }
}
