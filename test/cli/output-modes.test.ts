/** --quiet, --verbose, NO_COLOR and --no-color, and one warning glyph, on a real (short) run. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { packageRoot } from '../../src/package-root.js'

const cli = join(packageRoot, 'dist', 'src', 'cli', 'main.js')
const childEnv = Object.fromEntries(Object.entries(process.env)
  .filter(([name]) => !name.startsWith('VITEST') && !['FORCE_COLOR', 'NO_COLOR', 'GITHUB_STEP_SUMMARY'].includes(name)))

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'check', '--suites', 'security', '--seed', '2', ...args],
      { cwd: dir, env: { ...childEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const ANSI = /\u001b\[/

let dir: string
beforeAll(() => {
  if (!existsSync(cli)) execFileSync('npm', ['run', 'build'], { cwd: packageRoot, stdio: 'ignore' })
  dir = mkdtempSync(join(tmpdir(), 'oob-output-'))
}, 120_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('output modes', () => {
  it('--verbose prints each check\'s start and every step\'s verdict; colours when the terminal asks for them',
    { timeout: 60_000 }, async () => {
      const { code, stdout, stderr } = await run(['--verbose', '--report-dir', 'verbose'], { FORCE_COLOR: '1' })
      expect(code, stderr).toBe(0)
      expect(stdout).toMatch(ANSI)
      const plain = stderr.replace(/\u001b\[\d+m/g, '')
      expect(plain).toMatch(/^ {2}… security\/\S+ started$/m)
      expect(plain).toMatch(/^ {4}✓ security\/\S+ OOB-S-[A-Z0-9-]+ \S/m)
    })

  it('--quiet: the final line only, nothing on stderr; --no-color wins over FORCE_COLOR', { timeout: 60_000 },
    async () => {
      const { code, stdout, stderr } = await run(['--quiet', '--no-color', '--report-dir', 'quiet'], { FORCE_COLOR: '1' })
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
