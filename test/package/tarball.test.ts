/**
 * The published package, as a user gets it: `npm pack` the built tree (pretest has run `npm run build`), install
 * the tarball into an empty project, and run `npx oob-conformance check` there against the embedded reference
 * server. Every check the repository's suites register must run, the run must pass, the exports map must resolve,
 * and nothing but compiled code and runtime data may ship (no fixtures, mutants, TLS key, sources or tests).
 */
import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { loadSuites } from '../../src/engine/load.js'
import { packageRoot } from '../../src/package-root.js'
import type { RunResults } from '../../src/results/model.js'

interface Finished { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; timedOut: boolean }

const childEnv: NodeJS.ProcessEnv = {
  ...process.env,
  PACT_DO_NOT_TRACK: 'true',
  REDOCLY_TELEMETRY: 'off',
  NO_COLOR: '1',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
}
// The children act as a user's shell in the temp project, not as part of this repository's `npm test`: drop the
// vitest run's settings and the npm lifecycle's (npm_config_local_prefix would point npm back at this repository),
// keeping npm's cache, registry, proxy and CA settings.
for (const key of Object.keys(childEnv)) {
  if (/^(VITEST|NODE_OPTIONS$|TEST$|INIT_CWD$|npm_package_|npm_lifecycle_|npm_command$|npm_config_(local_prefix|call)$)/
    .test(key)) delete childEnv[key]
}

/** Runs a command in its own process group, killed (with its children) after `timeoutMs`; never throws on exit. */
function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d })
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d })
    const timer = setTimeout(() => {
      timedOut = true
      try { process.kill(-child.pid!, 'SIGKILL') } catch { /* already gone */ }
    }, timeoutMs)
    child.on('error', (e) => { clearTimeout(timer); reject(e) })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, timedOut })
    })
  })
}

function explain(what: string, r: Finished): string {
  return `${what}: exit ${r.code}${r.signal ? ` (${r.signal})` : ''}${r.timedOut ? ' — timed out' : ''}\n` +
    `--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
}

describe.sequential('the packed tarball', () => {
  it('installs into an empty project, ships only compiled code and runtime data, and runs every check', async () => {
    const started = performance.now()
    const tmp = mkdtempSync(join(tmpdir(), 'oob-tarball-'))
    try {
      // 1. Pack the built tree; --ignore-scripts: pretest already built, and `prepare` would rewrite dist/
      //    under the other test files that run it.
      const packDir = join(tmp, 'pack')
      mkdirSync(packDir)
      const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir],
        packageRoot, 120_000)
      expect(pack.code, explain('npm pack', pack)).toBe(0)
      const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[]
      const tarball = join(packDir, packed!.filename)
      expect(existsSync(tarball)).toBe(true)

      // 2. An empty project that installs it like a user would.
      const project = join(tmp, 'project')
      mkdirSync(project)
      writeFileSync(join(project, 'package.json'),
        JSON.stringify({ name: 'tarball-check', private: true, type: 'module' }, null, 2) + '\n')
      const install = await run('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'],
        project, 240_000)
      expect(install.code, explain('npm install', install)).toBe(0)
      const ls = await run('npm', ['ls', 'oob-conformance', '--depth=0'], project, 60_000)
      expect(ls.code, explain('npm ls', ls)).toBe(0)
      expect(ls.stdout).toMatch(/oob-conformance@\d/)

      // 3. Only compiled code and runtime data in the installed package.
      const installed = join(project, 'node_modules', 'oob-conformance')
      const shipped = walk(installed)
      expect(existsSync(join(installed, 'dist', 'fixtures'))).toBe(false)
      expect(existsSync(join(installed, 'fixtures'))).toBe(false)
      expect(shipped.filter((f) => f.endsWith('.ts'))).toEqual([])
      expect(shipped.filter((f) => /tls-key|\.pem$|\.key$/.test(f))).toEqual([])
      expect(shipped.filter((f) => /\.test\.js$|(^|\/)harness\.js$|(^|\/)(bench|test|mutants|hostile)\//.test(f)))
        .toEqual([])
      for (const runtime of ['spec/openapi.yaml', 'spec/requirements.yaml', 'spec/requirements.schema.json',
        'spec/accounts.json', 'dist/spec/accounts.json', 'dist/src/config/config-file.schema.json',
        'dist/src/index.js', 'dist/src/cli/main.js']) {
        expect(shipped, `${runtime} ships`).toContain(runtime)
      }
      expect(shipped.some((f) => f.startsWith('spec/pacts/') && f.endsWith('.json'))).toBe(true)
      expect(shipped.some((f) => /^dist\/suites\/.+\.check\.js$/.test(f))).toBe(true)

      // 4. The exports map: each entry point resolves and loads; internals stay private.
      const probe = [
        "import { runCheck, OobConformanceError } from 'oob-conformance'",
        "import { OobFlowClient } from 'oob-conformance/client'",
        "import { startReferenceServer } from 'oob-conformance/reference-server'",
        "import { runClientScenarios } from 'oob-conformance/client-check'",
        "import pkg from 'oob-conformance/package.json' with { type: 'json' }",
        'let internal = "exported"',
        "try { await import('oob-conformance/dist/src/engine/load.js') } catch (e) { internal = e.code }",
        'console.log(JSON.stringify({ runCheck: typeof runCheck, error: typeof OobConformanceError,',
        '  client: typeof OobFlowClient, server: typeof startReferenceServer, clientCheck: typeof runClientScenarios,',
        '  name: pkg.name, internal }))',
      ].join('\n')
      const imported = await run(process.execPath, ['--input-type=module', '-e', probe], project, 60_000)
      expect(imported.code, explain('importing the entry points', imported)).toBe(0)
      expect(JSON.parse(imported.stdout.trim().split('\n').at(-1)!)).toEqual({
        runCheck: 'function', error: 'function', client: 'function', server: 'function', clientCheck: 'function',
        name: 'oob-conformance', internal: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
      })
      if (existsSync(join(installed, 'dist', 'src', 'vitest', 'index.js'))) {
        const vitestEntry = await run(process.execPath, ['--input-type=module', '-e',
          "console.log(import.meta.resolve('oob-conformance/vitest'))"], project, 60_000)
        expect(vitestEntry.code, explain('resolving oob-conformance/vitest', vitestEntry)).toBe(0)
        expect(vitestEntry.stdout).toContain('/node_modules/oob-conformance/dist/src/vitest/index.js')
      }

      // 5. The CLI from the installed package, against its embedded reference server.
      const reports = join(tmp, 'reports')
      const check = await run('npx', ['--no', 'oob-conformance', 'check', '--report-dir', reports, '--num-runs', '10'],
        project, 180_000)
      expect(check.code, explain('npx oob-conformance check', check)).toBe(0)
      expect(check.stdout).toMatch(/^PASS /m)
      const results = JSON.parse(readFileSync(join(reports, 'results.json'), 'utf8')) as RunResults
      expect(results.verdict, explain('check', check)).toBe('passed')
      expect(results.profile).toBe('okta')
      const passed = results.checks.filter((c) => c.status === 'passed')
      const skipped = results.checks.filter((c) => c.status === 'skipped')
      expect(passed.length, explain('check', check)).toBeGreaterThanOrEqual(60)
      expect(skipped.length, skipped.map((c) => `${c.id}: ${c.message}`).join('\n')).toBeLessThanOrEqual(2)
      expect(results.summary.failed).toBe(0)

      // Every check the repository's suites register (for the embedded server's profile) ran there.
      const { checks, graders } = await loadSuites(['schema', 'flows', 'properties', 'security'])
      const registered = [
        ...checks.filter((c) => c.options.profile === undefined || c.options.profile === results.profile).map((c) => c.id),
        ...graders.map((g) => g.id),
      ]
      expect(registered.length).toBeGreaterThanOrEqual(60)
      const ran = new Set(results.checks.map((c) => c.id))
      expect(registered.filter((id) => !ran.has(id)), 'registered checks missing from the installed run').toEqual([])
      expect([...ran].filter((id) => !registered.includes(id)), 'checks only the installed package has').toEqual([])
    } finally {
      rmSync(tmp, { recursive: true, force: true })
      console.info(`tarball test: ${((performance.now() - started) / 1000).toFixed(1)} s`)
    }
  }, 420_000)
})
