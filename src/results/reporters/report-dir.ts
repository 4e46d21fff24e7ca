/**
 * The report directory, checked before a run starts: a run that works for minutes and then cannot write its
 * reports — or never ends, as a recursive mkdir under /proc does — is worse than a usage error up front.
 * @module
 */
import { mkdir, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'
import { OobConformanceError } from '../../errors.js'

/** What a run writes into the report directory; a new run removes the previous run's copies first. */
export const REPORT_FILES = ['results.json', 'junit.xml', 'summary.md', 'report.html', 'reproductions'] as const

/** Kernel filesystems: nothing there is a report directory, and mkdir may loop on them. */
const KERNEL_FILESYSTEMS = ['/proc', '/sys', '/dev']

const unusable = (option: string, dir: string, why: string) => new OobConformanceError('ERR_USAGE',
  `${option} ${dir} ${why}: give a directory you can write to, e.g. ./reports`)

/**
 * Makes sure `dir` is (or can be made) a writable directory, by creating it and a probe file, then removes the
 * previous run's reports from it so that nothing there looks current until this run writes its own. A
 * directory it had to create is removed again: the reports create it when they are written.
 */
export async function prepareReportDir(dir: string, option = '--report-dir'): Promise<void> {
  const path = resolve(dir)
  const kernel = KERNEL_FILESYSTEMS.find((root) => path === root || path.startsWith(root + sep))
  if (kernel) throw unusable(option, dir, `is under ${kernel}, a kernel filesystem`)
  const created = await makeDirectory(path, option, dir)
  const probe = join(path, `.oob-conformance-probe-${process.pid}`)
  try {
    await writeFile(probe, '')
    await rm(probe)
  } catch (e) {
    throw unusable(option, dir, `is not writable (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
  } finally {
    if (created !== undefined) await rm(created, { recursive: true, force: true })
  }
  if (created === undefined) {
    await Promise.all(REPORT_FILES.map((name) => rm(join(path, name), { recursive: true, force: true })))
  }
}

/** Creates `path` one level at a time (a recursive mkdir loops on some filesystems); returns the first one made. */
async function makeDirectory(path: string, option: string, dir: string): Promise<string | undefined> {
  const missing: string[] = []
  for (let at = path; ; at = dirname(at)) {
    const found = await stat(at).catch((e: NodeJS.ErrnoException) => {
      // ENOTDIR: some parent is a file, which the walk up finds and names.
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined
      throw unusable(option, dir, `cannot be created (${e.code ?? String(e)} at ${at})`)
    })
    if (found?.isDirectory()) break
    if (found) {
      throw unusable(option, dir, at === path ? 'is a file, not a directory' : `cannot be created (${at} is a file)`)
    }
    missing.unshift(at)
    if (dirname(at) === at) break
  }
  for (const at of missing) {
    try {
      await mkdir(at)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? String(e)
      if (missing[0] !== at) await rm(missing[0]!, { recursive: true, force: true })
      throw unusable(option, dir, `cannot be created (${code} at ${at})`)
    }
  }
  return missing[0]
}
