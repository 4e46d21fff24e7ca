/**
 * action.yml, run as GitHub would run its shell steps: inputs substituted, a fake $GITHUB_STEP_SUMMARY and
 * $GITHUB_OUTPUT, bash. The `uses:` steps (setup-node, upload-artifact, the JUnit publisher) are GitHub's; the
 * test checks that what they are given exists.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { packageRoot } from '../../src/package-root.js'

interface Step { name: string; id?: string; if?: string; uses?: string; run?: string; shell?: string;
  'working-directory'?: string; env?: Record<string, string>; with?: Record<string, string | boolean> }
interface Action { inputs: Record<string, { default?: string }>; outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] } }

const action = parse(readFileSync(join(packageRoot, 'action.yml'), 'utf8')) as Action

/** `${{ inputs.x }}` and `${{ steps.id.outputs.y }}` replaced, as the runner's expression engine would. */
function substitute(text: string, inputs: Record<string, string>, outputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expression)
    if (input) return inputs[input[1]!] ?? ''
    const output = /^steps\.run\.outputs\.([\w-]+)$/.exec(expression)
    if (output) return outputs[output[1]!] ?? ''
    throw new Error(`unexpected expression in action.yml: ${expression}`)
  })
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // GitHub runs `shell: bash` as `bash --noprofile --norc -eo pipefail {0}`.
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env,
      stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, output }))
  })
}

/** The runner's environment: none of this vitest run's variables, no colours. */
const baseEnv: Record<string, string> = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) =>
  !k.startsWith('VITEST') && !['FORCE_COLOR', 'GITHUB_STEP_SUMMARY', 'GITHUB_OUTPUT'].includes(k))) as Record<string,
  string>, NO_COLOR: '1' }

/** Runs the action's shell steps with `given` inputs; returns the step outputs and the fake files. */
async function runAction(given: Record<string, string>) {
  const inputs = { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? ''])), ...given }
  const summary = join(work, `summary-${++runs}.md`)
  const outputFile = join(work, `output-${runs}.txt`)
  writeFileSync(summary, '')
  writeFileSync(outputFile, '')
  const env = { ...baseEnv, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: outputFile }
  const codes: (number | null)[] = []
  let output = ''
  for (const step of action.runs.steps.filter((s) => s.run !== undefined)) {
    expect(step.shell).toBe('bash')
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(v, inputs, {})]))
    const cwd = join(packageRoot, substitute(step['working-directory'] ?? '.', inputs, {}))
    const result = await bash(substitute(step.run!, inputs, {}), cwd, { ...env, ...stepEnv })
    codes.push(result.code)
    output += result.output
  }
  const outputs = Object.fromEntries(readFileSync(outputFile, 'utf8').trim().split('\n').filter(Boolean)
    .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]))
  const uses = action.runs.steps.filter((s) => s.uses !== undefined).map((s) => ({ ...s,
    with: Object.fromEntries(Object.entries(s.with ?? {}).map(([k, v]) => [k, substitute(String(v), inputs, outputs)])) }))
  return { codes, output, outputs, summary: readFileSync(summary, 'utf8'), uses }
}

let work: string
let runs = 0
beforeAll(() => {
  const cli = join(packageRoot, 'dist', 'src', 'cli', 'main.js')
  if (!existsSync(cli)) execFileSync('npm', ['run', 'build'], { cwd: packageRoot, stdio: 'ignore' })
  work = mkdtempSync(join(tmpdir(), 'oob-action-'))
}, 120_000)
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('action.yml', () => {
  it('is a composite action whose outputs come from the run step', () => {
    expect(action.runs.using).toBe('composite')
    expect(action.outputs.verdict!.value).toBe('${{ steps.run.outputs.verdict }}')
    expect(action.runs.steps.map((s) => s.uses ?? s.id)).toEqual(['actions/setup-node@v4', 'run',
      'actions/upload-artifact@v4', 'mikepenz/action-junit-report@v5'])
    // The uploads and the JUnit check run happen also when the run failed.
    for (const step of action.runs.steps.slice(2)) expect(step.if).toMatch(/^always\(\) && /)
  })

  it('runs check: the summary written once to $GITHUB_STEP_SUMMARY, the reports where the uploads look',
    { timeout: 120_000 }, async () => {
      const reportDir = join(work, 'reports')
      const { codes, output, outputs, summary, uses } = await runAction({ args: '--suites security --seed 4 --quiet',
        'report-dir': reportDir })
      expect(codes, output).toEqual([0])
      expect(outputs).toEqual({ 'report-path': reportDir, verdict: 'passed' })
      expect(summary).toMatch(/^## oob-conformance: PASSED\n/)
      expect(summary.match(/## oob-conformance:/g)).toHaveLength(1)
      expect(summary).toBe(`${readFileSync(join(reportDir, 'summary.md'), 'utf8')}\n`)
      const [upload, junit] = uses.slice(1)
      expect(upload!.with.path).toBe(reportDir)
      for (const name of ['results.json', 'junit.xml', 'summary.md', 'report.html']) {
        expect(existsSync(join(upload!.with.path!, name))).toBe(true)
      }
      expect(junit!.with.report_paths).toBe(join(reportDir, 'junit.xml'))
      expect(readFileSync(junit!.with.report_paths!, 'utf8')).toMatch(/^<\?xml[^]*<testsuites name="oob-conformance"/)
    })

  it('a bad input fails the step with the CLI\'s exit code 2 before any report: no outputs, no summary',
    { timeout: 60_000 }, async () => {
      const reportDir = join(work, 'bad')
      const { codes, output, outputs, summary } = await runAction({ args: "--suites security --seed 'not a number'",
        'report-dir': reportDir })
      expect(codes).toEqual([2])
      expect(output).toContain('error --seed "not a number" must be an integer')
      expect(outputs).toEqual({})
      expect(summary).toBe('')
    })

  it('refuses a command other than check or client-check', { timeout: 30_000 }, async () => {
    const { codes, output } = await runAction({ command: 'serve' })
    expect(codes).toEqual([2])
    expect(output).toBe('::error::command "serve" must be check or client-check\n')
  })
})

describe('ci/gitlab/oob-conformance.gitlab-ci.yml', () => {
  interface Job { variables?: Record<string, string>; script: string[]; extends?: string;
    artifacts: { when: string; paths: string[]; reports: { junit: string } } }
  const template = parse(readFileSync(join(packageRoot, 'ci', 'gitlab', 'oob-conformance.gitlab-ci.yml'), 'utf8')) as
    Record<string, Job>

  it('runs its script as GitLab does (one shell, the job\'s variables) and hands junit.xml to the MR test report',
    { timeout: 120_000 }, async () => {
      const job = template['.oob-conformance']!
      const reportDir = join(work, 'gitlab')
      const variables = { ...job.variables, OOB_ARGS: "--suites security --seed 4 --quiet", OOB_REPORT_DIR: reportDir }
      const env = { ...baseEnv, ...variables }
      const { code, output } = await bash(job.script.join('\n'), packageRoot, env)
      expect(code, output).toBe(0)
      expect(job.artifacts.when).toBe('always')
      const expand = (path: string) => path.replace(/\$(\w+)/g, (_, name: string) => variables[name as keyof typeof variables] ?? '')
      expect(readFileSync(expand(job.artifacts.reports.junit), 'utf8')).toMatch(/<testsuites name="oob-conformance"/)
      expect(job.artifacts.paths.map(expand)).toEqual([`${reportDir}/`])
    })
})
