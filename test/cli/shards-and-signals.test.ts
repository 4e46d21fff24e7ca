/**
 * One long run split in shards and merged again, and runs stopped by a signal: what CI matrices and Ctrl-C
 * leave in the report directory.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { packageRoot } from '../../src/package-root.js'
import type { RunResults } from '../../src/results/model.js'
import { ensureBuilt, runCli, startCli } from './run-cli.js'

const start = (args: string[]) => startCli(args, { cwd: dir })
const run = (args: string[]) => runCli(args, { cwd: dir })
const results = (name: string) => JSON.parse(readFileSync(join(dir, name, 'results.json'), 'utf8')) as RunResults

let dir: string
beforeAll(() => {
  ensureBuilt()
  dir = mkdtempSync(join(tmpdir(), 'oob-shards-'))
}, 120_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('check --shard i/n and merge-reports', () => {
  it('shards 1/2 and 2/2 merged give the single run\'s checks, verdict and requirement statuses', { timeout: 240_000 },
    async () => {
      const args = ['check', '--suites', 'schema,flows,security', '--seed', '5', '--quiet']
      const single = await run([...args, '--report-dir', 'single'])
      expect(single.code, single.stderr).toBe(0)
      for (const shard of ['1/2', '2/2']) {
        const { code, stderr, stdout } = await run([...args, '--shard', shard, '--report-dir', `shard-${shard[0]}`])
        expect(code, stderr).toBe(0)
        expect(stdout).toMatch(/^PASS {2}checks: /)
      }
      const [one, two] = [results('shard-1'), results('shard-2')]
      expect([one.shard, two.shard]).toEqual([{ index: 1, count: 2 }, { index: 2, count: 2 }])
      // Dealt out by id: every check in exactly one shard, except the schema graders, which grade each shard's
      // exchanges.
      const ids = (r: RunResults) => r.checks.map((c) => c.id).filter((id) => !id.startsWith('schema/'))
      expect(ids(one).filter((id) => ids(two).includes(id))).toEqual([])
      expect([...ids(one), ...ids(two)].sort()).toEqual(ids(results('single')).sort())

      const merged = await run(['merge-reports', 'shard-1', 'shard-2', '--report-dir', 'merged'])
      expect(merged.code, merged.stderr).toBe(0)
      expect(merged.stdout).toMatch(/^PASS {2}merged 2 report\(s\): /)
      const [a, m] = [results('single'), results('merged')]
      expect(m.verdict).toBe(a.verdict)
      expect(m.shard).toBeUndefined()
      const statuses = (r: RunResults) => r.requirements.map((q) => `${q.id} ${q.status}`)
      expect(statuses(m)).toEqual(statuses(a))
      expect(m.completeness).toEqual(a.completeness)
      expect(m.checks.map((c) => c.id).sort()).toEqual(a.checks.map((c) => c.id).sort())
      expect(m.summary).toEqual(a.summary)
      for (const name of ['junit.xml', 'summary.md', 'report.html']) expect(existsSync(join(dir, 'merged', name))).toBe(true)

      const missing = await run(['merge-reports', 'shard-1', '--report-dir', 'merged-half'])
      expect([missing.code, missing.stderr]).toEqual([2,
        'error merge-reports: shard 2/2 missing: give every shard\'s report directory\n'])
    })

  it('refuses reports of different profiles: exit 2, one line', { timeout: 120_000 }, async () => {
    const rfc = await run(['check', '--profile', 'rfc', '--suites', 'security', '--quiet', '--report-dir', 'rfc'])
    expect(rfc.code, rfc.stderr).toBe(0)
    const okta = await run(['check', '--suites', 'security', '--quiet', '--report-dir', 'okta'])
    expect(okta.code, okta.stderr).toBe(0)
    const { code, stdout, stderr } = await run(['merge-reports', 'okta', 'rfc', '--report-dir', 'mixed'])
    expect([code, stdout, stderr]).toEqual([2, '', 'error merge-reports: profiles differ: okta in okta/results.json, ' +
      'rfc in rfc/results.json; merge reports of one profile\n'])
    expect(existsSync(join(dir, 'mixed'))).toBe(false)
  })
})

describe('a run stopped by a signal', () => {
  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)(
    '%s: the reports of what finished, marked interrupted; the previous run\'s reports gone at once; exit %i',
    { timeout: 120_000 }, async (signal, exitCode) => {
      const reportDir = join(dir, `stopped-${signal}`)
      mkdirSync(reportDir, { recursive: true })
      const stale = { tool: { name: 'oob-conformance', version: 'old' }, seed: 999, verdict: 'passed' }
      writeFileSync(join(reportDir, 'results.json'), JSON.stringify(stale))
      writeFileSync(join(reportDir, 'report.html'), '<p>PASSED</p>')
      writeFileSync(join(reportDir, 'notes.txt'), 'not ours: kept')

      const stopped = start(['check', '--suites', 'flows', '--seed', '9', '--report-dir', reportDir])
      await new Promise<void>((resolve, reject) => {
        const poll = setInterval(() => {
          // The first check-end line: a mark, the check's id.
          if (/^ {2}[✓✗!-] flows\//m.test(stopped.stderr())) {
            clearInterval(poll)
            resolve()
          }
        }, 20)
        void stopped.done.then(() => reject(new Error(`the run ended before a check did: ${stopped.stderr()}`)))
      })
      // Nothing of the previous run looks current while this one works.
      expect(existsSync(join(reportDir, 'results.json'))).toBe(false)
      expect(existsSync(join(reportDir, 'report.html'))).toBe(false)
      stopped.child.kill(signal)
      const { code, stdout, stderr } = await stopped.done
      expect(code, stderr).toBe(exitCode)
      expect(stderr).toContain(`interrupted (${signal}): stopping the running checks`)
      expect(stdout).toMatch(/^\nINCOMPLETE {2}checks: /)
      expect(stdout).toContain('! interrupted: the reports hold the checks that finished; the others are skipped')
      const written = JSON.parse(readFileSync(join(reportDir, 'results.json'), 'utf8')) as RunResults
      expect(written).toMatchObject({ seed: 9, verdict: 'incomplete', interrupted: true })
      expect(written.checks.some((c) => c.status === 'passed')).toBe(true)
      expect(written.checks.filter((c) => c.status === 'skipped').map((c) => c.message))
        .toContain('not run: the run was interrupted')
      expect(readFileSync(join(reportDir, 'summary.md'), 'utf8')).toContain('**Interrupted**: the run was stopped')
      expect(readFileSync(join(reportDir, 'notes.txt'), 'utf8')).toBe('not ours: kept')
    })
})

describe('a client-check stopped by a signal', () => {
  it('SIGTERM: the scenarios that ended are judged, the others not judged, results marked interrupted; exit 143',
    { timeout: 120_000 }, async () => {
      const reportDir = join(dir, 'client-stopped')
      const client = join(packageRoot, 'dist', 'fixtures', 'clients', 'correct.js')
      // push-approved ends after about 2 s; long-interval's first poll waits 6 s: it is running at the signal.
      const stopped = start(['client-check', '--profile', 'rfc', '--scenarios', 'push-approved,long-interval',
        '--report-dir', reportDir, '--', process.execPath, client])
      await new Promise<void>((resolve, reject) => {
        const poll = setInterval(() => {
          if (/^ {2}[✓✗!] push-approved /m.test(stopped.stderr())) {
            clearInterval(poll)
            resolve()
          }
        }, 20)
        void stopped.done.then(() => reject(new Error(`the run ended before a scenario did: ${stopped.stderr()}`)))
      })
      stopped.child.kill('SIGTERM')
      const { code, stdout, stderr } = await stopped.done
      expect(code, stderr).toBe(143)
      expect(stderr).toContain('interrupted (SIGTERM): the clients were stopped; writing the reports')
      expect(stdout).toMatch(/^\nINCOMPLETE {2}checks: /)
      expect(stdout).toContain('! interrupted: the reports hold the scenarios that ended; the others are not judged')
      const written = JSON.parse(readFileSync(join(reportDir, 'results.json'), 'utf8')) as RunResults
      expect(written).toMatchObject({ verdict: 'incomplete', interrupted: true })
      expect(written.checks.filter((c) => c.id.startsWith('push-approved/')).every((c) => c.status === 'passed'))
        .toBe(true)
      expect(written.checks.filter((c) => c.id.startsWith('long-interval/'))).toMatchObject([{
        id: 'long-interval/interrupted', status: 'skipped',
        message: 'not judged: the run was interrupted before the scenario ended',
      }])
    })
})
