/**
 * report.html in a real browser: headless Chromium (Debian's, driven by playwright-core) renders the report
 * of a passing and a failing `check` run and of a failing `client-check` run, each made by the built CLI, and
 * the test asserts what a reader meets first: the failures above the fold, timelines that actually render,
 * no console error and no Content-Security-Policy violation.
 * @module
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { execFile, execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import { mutants } from '../../fixtures/mutants/index.js'
import { packageRoot } from '../../src/package-root.js'
import { startReferenceServer } from '../../src/reference-server/index.js'
import type { RunResults } from '../../src/results/model.js'

const chromiumPath = process.env.OOB_CHROMIUM ?? '/usr/bin/chromium'
const missing = existsSync(chromiumPath) ? undefined
  : `no Chromium at ${chromiumPath}: install it (apt-get install chromium) or set OOB_CHROMIUM to a Chromium binary`
/** A developer's machine without Chromium skips this file, saying why; CI (CI=true, as .ci/run sets) fails. */
const skip = missing !== undefined && !process.env.CI
const cli = join(packageRoot, 'dist', 'src', 'cli', 'main.js')
const viewport = { width: 1280, height: 800 }
/** Bounds one CLI run; each takes seconds against a local server. */
const RUN_TIMEOUT_MS = 90_000

// The child is a CLI of its own, not a vitest worker: it must not inherit this run's vitest variables.
const childEnv = Object.fromEntries(Object.entries(process.env)
  .filter(([name]) => !name.startsWith('VITEST') && name !== 'FORCE_COLOR'))

/** Runs the built CLI; resolves with its exit code once it wrote its reports into `dir`. */
function runCli(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [cli, ...args], { cwd: packageRoot, timeout: RUN_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024, env: { ...childEnv, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(new Error(`${args[0]} did not finish:\n${stdout}${stderr}`))
      else resolve(typeof error?.code === 'number' ? error.code : 0)
    })
  })
}

interface Rendered {
  /** Console messages of type error or warning, page errors, and CSP violations, as text. */
  problems: string[]
  verdict: string
  failuresTop: number
  firstFailureTop: number | undefined
  /** Per failure shown: whether it has its timeline. */
  failureTimelines: boolean[]
  timelines: { width: number; height: number }[]
  /** In dark mode: the page background and the fill of a pending poll. */
  dark: { background: string; pending: string }
}

let browser: Browser
let dir: string
const runs = new Map<string, { exitCode: number; results: RunResults; html: string }>()

beforeAll(async () => {
  if (skip) return
  if (missing !== undefined) throw new Error(missing)
  // `npm test` builds first (pretest); this covers a direct `vitest run` on a fresh clone.
  if (!existsSync(cli)) execFileSync('npm', ['run', 'build'], { cwd: packageRoot, stdio: 'ignore' })
  dir = await mkdtemp(join(tmpdir(), 'oob-browser-'))
  const mutant = mutants.find((m) => m.name === 'denial-pending-forever')!
  const server = await startReferenceServer({ interval: 2, expiresIn: 30, ...mutant.options, profile: 'okta' })
  try {
    const faulty = [process.execPath, join(packageRoot, 'dist', 'fixtures', 'clients', 'faulty.js')]
    // A roomy bound per exchange: `npm test` runs this beside the other test files on a small machine.
    const check = ['check', '--suites', 'flows', '--seed', '1', '--request-timeout', '30']
    const made = await Promise.all(Object.entries({
      'check-passing': check,
      'check-failing': [...check, '--base-url', server.url, '--control-url', `${server.url}/control`],
      'client-check-failing': ['client-check', '--scenarios', 'denied,push-approved'],
    }).map(async ([name, args]) => {
      const reportDir = join(dir, name)
      const client = name.startsWith('client-check') ? ['--', ...faulty, 'keeps-polling-after-errors'] : []
      const exitCode = await runCli([...args, '--report-dir', reportDir, ...client])
      const results = JSON.parse(await readFile(join(reportDir, 'results.json'), 'utf8')) as RunResults
      return [name, { exitCode, results, html: join(reportDir, 'report.html') }] as const
    }))
    for (const [name, run] of made) runs.set(name, run)
  } finally {
    await server.close()
  }
  browser = await chromium.launch({ executablePath: chromiumPath })
}, 150_000)

afterAll(async () => {
  await browser?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function render(file: string): Promise<Rendered> {
  const problems: string[] = []
  const context = await browser.newContext({ viewport })
  try {
    const page = await context.newPage()
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`)
    })
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    // Injected by the browser, not the page: the page's CSP forbids scripts and does not govern this one.
    await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) =>
      console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI))`)
    await page.goto(pathToFileURL(file).href)
    const verdict = await page.locator('p.verdict').innerText()
    const failuresTop = (await page.locator('#failures').boundingBox())!.y
    // evaluateAll, unlike boundingBox, does not wait for an element that a passing run does not have.
    const failures = await page.locator('article.failure').evaluateAll((articles) => articles.map((a) =>
      ({ top: a.getBoundingClientRect().top, timeline: a.querySelector('svg.timeline') !== null })))
    // Timelines inside closed <details> are not laid out: open every one first.
    await page.evaluate(`document.querySelectorAll('details').forEach((d) => { d.open = true })`)
    const timelines = await page.locator('svg.timeline').evaluateAll((svgs) => svgs.map((svg) => {
      const box = svg.getBoundingClientRect()
      return { width: box.width, height: box.height }
    }))
    await page.emulateMedia({ colorScheme: 'dark' })
    const dark = await page.evaluate<Rendered['dark']>(`({
      background: getComputedStyle(document.body).backgroundColor,
      pending: getComputedStyle(document.querySelector('svg.timeline circle.tl-pending')).fill,
    })`)
    return { problems, verdict, failuresTop, firstFailureTop: failures[0]?.top,
      failureTimelines: failures.map((f) => f.timeline), timelines, dark }
  } finally {
    await context.close()
  }
}

describe.skipIf(skip)(skip ? `report.html in headless Chromium — skipped: ${missing}`
  : 'report.html in headless Chromium (1280×800)', () => {
  it.each([
    ['check-passing', 0, 'PASSED'],
    ['check-failing', 1, 'FAILED'],
    ['client-check-failing', 1, 'FAILED'],
  ])('%s: failures above the fold, timelines drawn, no console error or CSP violation', async (name, exit, word) => {
    const run = runs.get(name)!
    expect(run.exitCode).toBe(exit)
    const page = await render(run.html)
    expect(page.problems).toEqual([])
    expect(page.verdict).toBe(word)
    expect(page.failuresTop).toBeLessThan(viewport.height)
    const failed = run.results.checks.filter((c) => c.status === 'failed')
    expect(failed.length > 0).toBe(word === 'FAILED')
    if (failed.length > 0) expect(page.firstFailureTop).toBeLessThan(viewport.height)
    // Every failure of these runs comes from a check that polled: each shows its timeline.
    expect(page.failureTimelines).toEqual(failed.map(() => true))
    expect(page.timelines.length).toBeGreaterThan(0)
    for (const box of page.timelines) {
      expect(box.width).toBeGreaterThan(0)
      expect(box.height).toBeGreaterThan(0)
    }
    // Dark mode: the dark palette's background, and marks drawn in its colours rather than the light ones.
    expect(page.dark).toEqual({ background: 'rgb(13, 17, 23)', pending: 'rgb(145, 152, 161)' })
  }, 30_000)
})
