/**
 * What every command shares on the terminal: one mark per status (one warning glyph everywhere), the output
 * modes (--quiet, --verbose; colours follow NO_COLOR and --no-color, which picocolors reads itself), and the
 * Markdown summary appended to `$GITHUB_STEP_SUMMARY` when GitHub Actions sets it.
 * @module
 */
import { appendFile, readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import pc from 'picocolors'
import { OobConformanceError } from '../errors.js'
import type { CheckStatus } from '../results/model.js'

/** The one mark of each status, in every command's progress and summary. */
export const MARKS: Record<CheckStatus, string> = {
  passed: pc.green('✓'), failed: pc.red('✗'), warning: pc.yellow('!'), skipped: pc.yellow('-'),
}

/** Exit codes of a run stopped by a signal, as shells report them: 128 + the signal's number. */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const

/** `quiet`: only the final line and errors; `verbose`: every step of every check as well. */
export type OutputMode = 'quiet' | 'normal' | 'verbose'

export function outputMode(options: { quiet?: boolean; verbose?: boolean }): OutputMode {
  if (options.quiet && options.verbose) {
    throw new OobConformanceError('ERR_USAGE', 'give either --quiet or --verbose, not both')
  }
  return options.quiet ? 'quiet' : options.verbose ? 'verbose' : 'normal'
}

/**
 * Appends the run's summary.md to the job summary when `GITHUB_STEP_SUMMARY` is set (GitHub Actions sets it
 * for every step). The CLI does it, not the action, so a plain `run:` step gets the summary too, and once.
 */
export async function appendStepSummary(files: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const target = env.GITHUB_STEP_SUMMARY
  const summary = files.find((f) => basename(f) === 'summary.md')
  if (!target || summary === undefined) return
  await appendFile(target, `${await readFile(summary, 'utf8')}\n`)
}
