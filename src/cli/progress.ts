/**
 * Terminal progress for long runs, from the engine's events: what finished, what is waiting and for how long;
 * under --verbose also each check's start and every step's verdict. Written to stderr so that stdout stays
 * clean for the final summary.
 * @module
 */
import pc from 'picocolors'
import type { EngineEvent } from '../engine/events.js'
import type { Redactor } from '../redact/index.js'
import { MARKS } from './output.js'

export function progressPrinter(out: NodeJS.WritableStream = process.stderr, redact: Redactor = (t) => t,
  verbose = false): (event: EngineEvent) => void {
  return (event) => {
    if (event.type === 'wait') {
      out.write(`  ${pc.dim('…')} ${event.id} ${pc.dim(`waiting ${Math.ceil(event.seconds * 10) / 10} s: ${event.what}`)}\n`)
      return
    }
    if (verbose && event.type === 'check-start') out.write(`  ${pc.dim('…')} ${event.id} ${pc.dim('started')}\n`)
    if (verbose && event.type === 'step') {
      out.write(`    ${MARKS[event.status]} ${event.id} ${event.requirement} ${pc.dim(redact(event.message))}\n`)
    }
    if (event.type !== 'check-end') return
    const { outcome } = event
    const ms = pc.dim(`${outcome.durationMs} ms`)
    const message = redact(outcome.message)
    if (outcome.status === 'passed') out.write(`  ${MARKS.passed} ${outcome.id} ${ms}\n`)
    else if (outcome.status === 'skipped') {
      const why = message.startsWith('not judged') ? message : `skipped: ${message}`
      out.write(`  ${MARKS.skipped} ${outcome.id} ${pc.dim(why)}\n`)
    }
    else {
      const blamed = outcome.steps.filter((s) => s.status === 'failed').map((s) => s.requirement)
      const why = outcome.status === 'errored' ? 'error' : blamed.join(', ')
      out.write(`  ${MARKS.failed} ${outcome.id} ${ms} ${pc.red(why)}\n    ${pc.red(message)}\n`)
    }
  }
}
