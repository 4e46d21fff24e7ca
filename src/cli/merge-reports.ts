/**
 * `oob-conformance merge-reports DIR…`: one report from the results.json of several runs — the shards of
 * `check --shard i/n`, or a CI matrix — written as a run writes its own (results.json, junit.xml, summary.md,
 * report.html), with the exit code a single run would have.
 * @module
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import pc from 'picocolors'
import { OobConformanceError } from '../errors.js'
import { mergeResults, type MergeInput } from '../results/merge.js'
import type { RunResults } from '../results/model.js'
import { prepareReportDir, writeReports } from '../results/reporters/index.js'
import { exitCode } from '../results/rollup.js'
import { appendStepSummary, outputMode } from './output.js'

export interface MergeReportsOptions {
  reportDir: string
  strict?: boolean
  quiet?: boolean
  verbose?: boolean
}

export async function runMergeReports(dirs: string[], options: MergeReportsOptions,
  env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const mode = outputMode(options)
  const strict = Boolean(options.strict)
  const inputs = await Promise.all(dirs.map(readResults))
  const { results, notes } = mergeResults(inputs, { strict })
  await prepareReportDir(options.reportDir)
  const files = await writeReports(options.reportDir, results, { strict, notes })
  await appendStepSummary(files, env)
  const code = exitCode(results, { strict })
  const { passed, failed, warnings, skipped } = results.summary
  const word = results.verdict === 'failed' ? pc.red(pc.bold('FAIL'))
    : results.verdict === 'incomplete' ? pc.yellow(pc.bold('INCOMPLETE')) : pc.green(pc.bold('PASS'))
  const lines = [`${word}  merged ${inputs.length} report(s): ${passed} passed, ${failed} failed, ${warnings} ` +
    `warnings, ${skipped} skipped; reports: ${files.join(', ')}`]
  if (mode !== 'quiet') lines.push(...notes.map((n) => `  ${pc.yellow('note')} ${n}`))
  process.stdout.write(lines.join('\n') + '\n')
  return code
}

async function readResults(dir: string): Promise<MergeInput> {
  const source = join(dir, 'results.json')
  let text: string
  try {
    text = await readFile(source, 'utf8')
  } catch (e) {
    throw new OobConformanceError('ERR_USAGE', `merge-reports: cannot read ${source} ` +
      `(${(e as NodeJS.ErrnoException).code ?? String(e)}): give directories a run wrote its reports to`)
  }
  let results: RunResults
  try {
    results = JSON.parse(text) as RunResults
  } catch (e) {
    throw new OobConformanceError('ERR_USAGE', `merge-reports: ${source} is not JSON (${(e as Error).message})`)
  }
  if (results?.tool?.name !== 'oob-conformance' || !Array.isArray(results.checks)) {
    throw new OobConformanceError('ERR_USAGE', `merge-reports: ${source} is not an oob-conformance results.json`)
  }
  return { source, results }
}
