/**
 * The same-run baseline: the implementation before the in-process engine (commit 821d2de, whose `check` ran the
 * suites inside vitest), built once into a cache folder so that a figure can time it against the current CLI in
 * the same run, on the same machine, under the same load.
 *
 * The commit's tree is extracted with `git archive` (no worktree metadata is left in the repository), the
 * package's `node_modules` is linked into it entry by entry (the dependencies did not change; a real folder
 * keeps vite's cache of that run out of the package's own `node_modules`), and it is compiled with its own
 * `tsconfig.build.json`. Its CLI runs its suites' `.ts` sources through vitest, which the archive holds next to
 * `dist/`. The build goes to a temporary folder renamed into place when complete, so that an interrupted or
 * concurrent build never leaves a half-built baseline behind.
 * @module
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { packageRoot } from '../src/package-root.js'

export const BASELINE_COMMIT = '821d2de'
/** Where the baseline is built and kept between runs. */
export const BASELINE_DIR = join(tmpdir(), `oob-conformance-baseline-${BASELINE_COMMIT}`)
/** The baseline's CLI, as `CLI` in figure.ts is the current one. */
export const BASELINE_CLI = join(BASELINE_DIR, 'dist', 'src', 'cli', 'main.js')
/** Written last: a baseline folder without it is not used. */
const COMPLETE = join(BASELINE_DIR, '.complete')

const BUILD_TIMEOUT_MS = 5 * 60_000

/** Runs a command to the end (bounded by `timeoutMs`), rejecting on a non-zero exit with its output. */
function run(command: string, args: string[], cwd: string, timeoutMs = BUILD_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('error', (e) => { clearTimeout(timer); reject(e) })
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve()
      else reject(new Error(`${command} ${args.join(' ')} ${signal ? `killed (${signal})` : `exited ${code}`}:\n${output}`))
    })
  })
}

/** `git archive <commit> | tar -x -C <dir>`, the two bounded and their failures reported. */
function extract(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const git = spawn('git', ['-C', packageRoot, 'archive', '--format=tar', BASELINE_COMMIT],
      { stdio: ['ignore', 'pipe', 'pipe'] })
    const tar = spawn('tar', ['-x', '-C', dir], { stdio: ['pipe', 'ignore', 'pipe'] })
    git.stdout.pipe(tar.stdin)
    let errors = ''
    git.stderr.on('data', (chunk) => (errors += chunk))
    tar.stderr.on('data', (chunk) => (errors += chunk))
    const timer = setTimeout(() => { git.kill('SIGKILL'); tar.kill('SIGKILL') }, BUILD_TIMEOUT_MS)
    const codes: (number | null)[] = []
    const done = (code: number | null) => {
      codes.push(code)
      if (codes.length < 2) return
      clearTimeout(timer)
      if (codes.every((c) => c === 0)) resolve()
      else reject(new Error(`git archive ${BASELINE_COMMIT} | tar -x failed (${codes.join(', ')}): ${errors}`))
    }
    git.once('error', reject)
    tar.once('error', reject)
    git.once('close', done)
    tar.once('close', done)
  })
}

/** A real `node_modules` whose entries link to the package's own (vite's `.vite` cache excepted). */
async function linkDependencies(dir: string): Promise<void> {
  const source = join(packageRoot, 'node_modules')
  const target = join(dir, 'node_modules')
  await mkdir(target)
  for (const entry of await readdir(source)) {
    if (entry.startsWith('.vite')) continue
    await symlink(join(source, entry), join(target, entry))
  }
}

/**
 * Ensures the baseline is built and returns its CLI's path. The first call takes the build's time (half a
 * minute or so); later ones, in this run or the next, find it complete.
 */
export async function ensureBaseline(): Promise<string> {
  if (existsSync(COMPLETE)) return BASELINE_CLI
  process.stderr.write(`building the baseline (${BASELINE_COMMIT}) in ${BASELINE_DIR}…\n`)
  const building = await mkdtemp(`${BASELINE_DIR}.building-`)
  try {
    await extract(building)
    await linkDependencies(building)
    await run(join(packageRoot, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], building)
    await writeFile(join(building, '.complete'), `${BASELINE_COMMIT}\n`)
    // A stale, incomplete folder is replaced; a complete one (a concurrent build's) is kept.
    if (existsSync(BASELINE_DIR) && !existsSync(COMPLETE)) await rm(BASELINE_DIR, { recursive: true, force: true })
    try {
      await rename(building, BASELINE_DIR)
    } catch (e) {
      if (!existsSync(COMPLETE)) throw e
    }
  } finally {
    await rm(building, { recursive: true, force: true })
  }
  return BASELINE_CLI
}
