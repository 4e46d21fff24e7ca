/**
 * Writes the four reports of a run into the report directory.
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { redactResults, type Redactor } from '../../redact/index.js'
import type { RunResults } from '../model.js'
import { writeReproductions } from '../script.js'
import type { ReportOptions } from './common.js'
import { renderHtml } from './html.js'
import { renderJson } from './json.js'
import { renderJunit } from './junit.js'
import { renderMarkdown } from './markdown.js'

export type { ReportOptions } from './common.js'
export { prepareReportDir, REPORT_FILES } from './report-dir.js'
export { renderHtml, renderJson, renderJunit, renderMarkdown }

export interface WriteReportsOptions extends ReportOptions {
  /** Applied to every text of the run before anything is written: the runner's redactor for its secrets. */
  redact?: Redactor
}

/** Creates `dir` if needed, writes results.json, junit.xml, summary.md and report.html, returns the paths. */
export async function writeReports(dir: string, results: RunResults, opts: WriteReportsOptions = {}):
  Promise<string[]> {
  const safe = opts.redact ? redactResults(results, opts.redact) : results
  const notes = opts.redact ? opts.notes?.map(opts.redact) : opts.notes
  const view: ReportOptions = { strict: opts.strict ?? false, notes: notes ?? [] }
  const files: [string, string][] = [
    ['results.json', renderJson(safe)],
    ['junit.xml', renderJunit(safe)],
    ['summary.md', renderMarkdown(safe, view)],
    ['report.html', renderHtml(safe, view)],
  ]
  await mkdir(dir, { recursive: true })
  const written = await Promise.all(files.map(async ([name, text]) => {
    const path = join(dir, name)
    await writeFile(path, text, 'utf8')
    return path
  }))
  // Each reproduction also as reproductions/<check>.sh, runnable as it is.
  await writeReproductions(dir, safe.checks)
  return written
}
