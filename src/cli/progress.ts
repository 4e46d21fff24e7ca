/**
 * Terminal progress for long runs: what finished, what is waiting and for how long. Written to stderr so that
 * stdout stays clean for the final summary.
 * @module
 */
import pc from 'picocolors'
import type { ProgressEvent } from '../runner/vitest-run.js'

export function progressPrinter(out: NodeJS.WritableStream = process.stderr): (event: ProgressEvent) => void {
  const idOf = (name: string) => name.split(' — ')[0]
  return (event) => {
    if (event.kind === 'start') return
    if (event.kind === 'wait') {
      out.write(`  ${pc.dim('…')} ${idOf(event.name)} ${pc.dim(event.message)}\n`)
      return
    }
    const ms = pc.dim(`${event.durationMs} ms`)
    if (event.state === 'passed') out.write(`  ${pc.green('✓')} ${idOf(event.name)} ${ms}\n`)
    else if (event.state === 'skipped') out.write(`  ${pc.yellow('-')} ${idOf(event.name)} ${pc.dim('skipped: ' + event.message)}\n`)
    else out.write(`  ${pc.red('✗')} ${idOf(event.name)} ${ms}\n    ${pc.red(event.message)}\n`)
  }
}
