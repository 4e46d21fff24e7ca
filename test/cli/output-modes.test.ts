/** --quiet, --verbose, NO_COLOR and --no-color, and one warning glyph, on a real (short) run. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureBuilt, runCli } from './run-cli.js'

const run = (args: string[], env: Record<string, string | undefined>) =>
  runCli(['check', '--suites', 'security', '--seed', '2', ...args], { cwd: dir, env })

const ANSI = /\u001b\[/

let dir: string
beforeAll(() => {
  ensureBuilt()
  dir = mkdtempSync(join(tmpdir(), 'oob-output-'))
}, 120_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('output modes', () => {
  it('--verbose prints each check\'s start and every step\'s verdict; colours when the terminal asks for them',
    { timeout: 60_000 }, async () => {
      const { code, stdout, stderr } = await run(['--verbose', '--report-dir', 'verbose'], { FORCE_COLOR: '1', NO_COLOR: undefined })
      expect(code, stderr).toBe(0)
      expect(stdout).toMatch(ANSI)
      const plain = stderr.replace(/\u001b\[\d+m/g, '')
      expect(plain).toMatch(/^ {2}… security\/\S+ started$/m)
      expect(plain).toMatch(/^ {4}✓ security\/\S+ OOB-S-[A-Z0-9-]+ \S/m)
    })

  it('--quiet: the final line only, nothing on stderr; --no-color wins over FORCE_COLOR', { timeout: 60_000 },
    async () => {
      const { code, stdout, stderr } = await run(['--quiet', '--no-color', '--report-dir', 'quiet'], { FORCE_COLOR: '1', NO_COLOR: undefined })
      expect(code, stderr).toBe(0)
      expect(stderr).toBe('')
      expect(stdout).not.toMatch(ANSI)
      expect(stdout).toMatch(/^PASS {2}checks: \d+ passed, 0 failed, 0 warnings, \d+ skipped \([\d.]+ s\); reports: \S+results\.json, /)
      expect(stdout.trimEnd().split('\n')).toHaveLength(1)
    })

  it('NO_COLOR: no colours either, and the CLI appends summary.md to $GITHUB_STEP_SUMMARY when it is set',
    { timeout: 60_000 }, async () => {
      const summary = join(dir, 'step-summary.md')
      const { code, stdout, stderr } = await run(['--report-dir', 'no-color'], { FORCE_COLOR: '1', NO_COLOR: '1',
        GITHUB_STEP_SUMMARY: summary })
      expect(code, stderr).toBe(0)
      expect(stdout + stderr).not.toMatch(ANSI)
      expect(readFileSync(summary, 'utf8')).toBe(`${readFileSync(join(dir, 'no-color', 'summary.md'), 'utf8')}\n`)
    })
})
