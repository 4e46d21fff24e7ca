/**
 * The vitest adapter (`oob-conformance/vitest`) as its users meet it: tests generated inside a vitest run. Two
 * child vitest runs, side by side: the example project (examples/vitest: a Hono app in-process, a base URL), and
 * the fixtures here (a faulty server whose token responses lose Cache-Control, as a node listener and as a fetch
 * function with its defect listed as an expected failure). Their JSON and JUnit reports are read back.
 * @module
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadSuites } from '../../src/engine/load.js'
import { packageRoot } from '../../src/package-root.js'
import type { RunResults } from '../../src/results/model.js'

const VITEST = join(packageRoot, 'node_modules', 'vitest', 'vitest.mjs')
/** Bounds one child run; each takes about 20 s on a 2-core machine. */
const RUN_TIMEOUT_MS = 120_000

interface JsonTest {
  title: string
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo'
  duration?: number
  failureMessages: string[]
}
interface JsonReport {
  success: boolean
  testResults: { name: string; status: string; message: string; assertionResults: JsonTest[] }[]
}
interface ChildRun {
  exitCode: number
  output: string
  json: JsonReport
  /** File name (no directory) → its tests. */
  files: Map<string, JsonTest[]>
  junit?: string
}

/** `vitest run --root <root>` in a child process, with a JSON report (and a JUnit one when asked). */
async function runVitest(root: string, dir: string, options: { junit?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<ChildRun> {
  const jsonFile = join(dir, 'report.json')
  const junitFile = join(dir, 'junit.xml')
  const args = [VITEST, 'run', '--root', root, '--reporter=json', `--outputFile.json=${jsonFile}`]
  if (options.junit) args.push('--reporter=junit', `--outputFile.junit=${junitFile}`)
  // The child is a vitest of its own, not a worker of this one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')))
  const { exitCode, output } = await new Promise<{ exitCode: number; output: string }>((resolve, reject) => {
    execFile(process.execPath, args, {
      cwd: packageRoot, timeout: RUN_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024,
      env: { ...env, ...options.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' },
    }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`
      if (error && typeof error.code !== 'number') reject(new Error(`vitest --root ${root} did not finish (${error.signal ?? error.message}):\n${output}`))
      else resolve({ exitCode: typeof error?.code === 'number' ? error.code : 0, output })
    })
  })
  let json: JsonReport
  try {
    json = JSON.parse(await readFile(jsonFile, 'utf8')) as JsonReport
  } catch {
    throw new Error(`vitest --root ${root} wrote no JSON report (exit ${exitCode}):\n${output}`)
  }
  const files = new Map(json.testResults.map((f) => [f.name.split('/').at(-1)!, f.assertionResults]))
  return { exitCode, output, json, files, ...(options.junit && { junit: await readFile(junitFile, 'utf8') }) }
}

/** `<id> — <title>` of every check and grader of the default suites under the okta profile. */
async function expectedTests(suites: ('schema' | 'flows' | 'properties' | 'security')[]): Promise<string[]> {
  const { checks, graders } = await loadSuites(suites)
  return [...checks.filter((c) => c.options.profile === undefined || c.options.profile === 'okta'), ...graders]
    .map((c) => `${c.id} — ${c.title}`)
}

const idOf = (t: JsonTest) => t.title.split(' — ')[0]!
const byStatus = (tests: JsonTest[], status: JsonTest['status']) => tests.filter((t) => t.status === status).map(idOf).sort()

/** The warning annotations of a JUnit report: test name → annotation messages. */
function warnings(junit: string, file: string): Map<string, string[]> {
  const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>').replace(/&amp;/g, '&')
  const found = new Map<string, string[]>()
  for (const testcase of junit.split('<testcase ').slice(1)) {
    const m = /^classname="([^"]*)" name="([^"]*)"/.exec(testcase)
    if (m === null || m[1] !== file) continue
    const values = [...testcase.matchAll(/<property name="warning" value="([^"]*)">/g)].map((p) => unescape(p[1]!))
    if (values.length > 0) found.set(unescape(m[2]!).split(' > ').at(-1)!, values)
  }
  return found
}

describe('oob-conformance/vitest', () => {
  let dir: string
  let example: ChildRun
  let fixtures: ChildRun
  let reportDir: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oob-vitest-'))
    reportDir = join(dir, 'reports')
    const [exampleDir, fixturesDir] = [join(dir, 'example'), join(dir, 'fixtures')]
    ;[example, fixtures] = await Promise.all([
      runVitest('examples/vitest', exampleDir),
      runVitest('test/vitest/fixtures', fixturesDir, { junit: true, env: { OOB_VITEST_REPORT_DIR: reportDir } }),
    ])
  }, RUN_TIMEOUT_MS + 30_000)

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  test('the example project: every check is a test of each file, and all pass against the reference server', async () => {
    const expected = await expectedTests(['schema', 'flows', 'properties', 'security'])
    expect(expected.length).toBeGreaterThan(60)
    expect([...example.files.keys()].sort(), example.output).toEqual(['base-url.test.ts', 'in-process.test.ts'])
    for (const [file, tests] of example.files) {
      expect(tests.map((t) => t.title), file).toEqual(expected)
      expect(byStatus(tests, 'failed'), `${file}:\n${example.output}`).toEqual([])
      // The reference server's default rate limit is out of reach of the burst the check may send: it skips.
      expect(byStatus(tests, 'skipped'), file).toEqual(['security/rate-limit-429'])
      expect(tests.filter((t) => t.status === 'skipped')[0]!.duration, 'run, then skipped by the check').toBeDefined()
    }
    expect(example.exitCode, example.output).toBe(0)
  })

  test('a node listener whose token responses lose Cache-Control fails exactly the tests of OOB-S-TOKEN-NO-STORE', () => {
    const tests = fixtures.files.get('faulty-listener.conformance.ts')!
    expect(tests, fixtures.output).toBeDefined()
    expect(byStatus(tests, 'failed'), fixtures.output).toEqual(['flows/token-response-headers', 'schema/token-cache-control'])
    const secret = JSON.parse(readFileSync(join(packageRoot, 'spec', 'accounts.json'), 'utf8')).clients.confidential.client_secret as string
    for (const test of tests.filter((t) => t.status === 'failed')) {
      const message = test.failureMessages.join('\n')
      expect(message).toMatch(new RegExp(`^ConformanceFailure: ${idOf(test)} failed OOB-S-TOKEN-NO-STORE: `))
      expect(message).toContain('✗ OOB-S-TOKEN-NO-STORE (MUST): ')
      expect(message).toMatch(/\nreproduction:\n#!\/bin\/sh\n(#[^\n]*\n)+set -eu\n: "\$\{OOB_BASE_URL:=http:\/\/127\.0\.0\.1:\d+\}"\n/)
      expect(message).toMatch(/\ncurl -sS -i --max-time \d+ "\$\{OOB_BASE_URL\}\/oauth2\/v1\/token"/)
      expect(message).toMatch(/\nif \[ -z "\$\(header_of \d+ cache-control\)" \]; then\n  echo 'DEFECT REPRODUCED: /)
      expect(message).not.toContain(secret)
    }
    expect(fixtures.exitCode).toBe(1)
  })

  test('the tests carry the verdicts and reproductions of the reports `check` writes (reportDir)', async () => {
    const results = JSON.parse(await readFile(join(reportDir, 'results.json'), 'utf8')) as RunResults
    const tests = new Map(fixtures.files.get('faulty-listener.conformance.ts')!.map((t) => [idOf(t), t]))
    expect(results.checks.map((c) => c.id).sort()).toEqual([...tests.keys()].sort())
    for (const check of results.checks) {
      const test = tests.get(check.id)!
      const status = check.status === 'warning' ? 'passed' : check.status
      expect(test.status, check.id).toBe(status)
      if (check.status === 'failed') expect(test.failureMessages.join('\n')).toContain(check.reproduction!)
    }
    expect(results.requirements.filter((r) => r.status === 'failed').map((r) => r.id)).toEqual(['OOB-S-TOKEN-NO-STORE'])
  })

  test('an expected failure passes its tests with a warning annotation naming the requirement and the reason', () => {
    const tests = fixtures.files.get('expected-failure.conformance.ts')!
    expect(byStatus(tests, 'failed'), fixtures.output).toEqual([])
    expect(byStatus(tests, 'skipped')).toEqual([])
    const annotated = warnings(fixtures.junit!, 'expected-failure.conformance.ts')
    expect([...annotated.keys()].map((name) => name.split(' — ')[0]).sort())
      .toEqual(['flows/token-response-headers', 'schema/token-cache-control'])
    for (const [name, messages] of annotated) {
      expect(messages.join('\n'), name).toMatch(/^expected failure: /)
      expect(messages.join('\n'), name).toContain('OOB-S-TOKEN-NO-STORE (MUST)')
      expect(messages.join('\n'), name).toContain('(expected failure: fixed by AUTH-123)')
    }
  })
})
