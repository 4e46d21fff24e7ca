/**
 * `--driver interactive`: a person at the terminal plays the user. Prompts are queued so concurrent checks ask
 * one question at a time, and wait as long as the person needs; every prompt names the check, the user and the
 * whole `oob_code`. Answering "skip" skips the check; a check that ends (its signal aborts) withdraws its prompt.
 * @module
 */
import { createInterface } from 'node:readline/promises'
import { OobConformanceError } from '../errors.js'
import { DriverSkipped, type Driver, type DriverCall } from './driver.js'

const OR_SKIP = 'then press Enter — or type skip.'

export function interactiveDriver(
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Driver {
  const rl = createInterface({ input, output, terminal: false })
  // Once the input has ended (CI, `< /dev/null`) no answer can come: fail the prompt rather than wait.
  const inputEnded = new AbortController()
  rl.once('close', () => inputEnded.abort())
  let queue: Promise<unknown> = Promise.resolve()

  /** Asks when the questions before it are answered; a prompt withdrawn while queued is never shown. */
  async function askInTurn(question: string, { check, signal }: DriverCall): Promise<string> {
    if (signal?.aborted) throw withdrawn(signal)
    if (inputEnded.signal.aborted) throw inputEndedFailure()
    const asking = new AbortController()
    const stop = () => asking.abort()
    inputEnded.signal.addEventListener('abort', stop, { once: true })
    signal?.addEventListener('abort', stop, { once: true })
    try {
      return await rl.question(`\n${question}\n> `, { signal: asking.signal })
    } catch {
      if (signal?.aborted) {
        output.write(`${prefix(check)}Withdrawn: the check ended before the answer came.\n`)
        throw withdrawn(signal)
      }
      throw inputEndedFailure()
    } finally {
      inputEnded.signal.removeEventListener('abort', stop)
      signal?.removeEventListener('abort', stop)
    }
  }

  function ask(question: string, call: DriverCall): Promise<string> {
    const { signal } = call
    const turn = queue.then(() => askInTurn(question, call))
    queue = turn.catch(() => undefined)
    if (signal === undefined) return turn
    // A queued prompt is withdrawn at once; `turn` then settles, unseen, when its turn comes.
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => reject(withdrawn(signal))
      if (signal.aborted) onAbort()
      signal.addEventListener('abort', onAbort, { once: true })
      turn.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
    })
  }

  /** Asks, and turns the answer "skip" into a skipped check. */
  async function answer(operation: string, question: string, call: DriverCall): Promise<string> {
    const line = await ask(prefix(call.check) + question, call)
    // Also for otp: a real one-time code is never the word "skip".
    if (line.trim().toLowerCase() === 'skip') {
      throw new DriverSkipped(`the person at the terminal skipped the ${operation} step`)
    }
    return line
  }

  return {
    async approve(oobCode, call) {
      const tap = call.bindingCode ? ` and tap the number ${call.bindingCode}` : ''
      await answer('approve',
        `Approve the push${about(oobCode, call, 'for')} on the authenticator${tap}, ${OR_SKIP}`, call)
    },
    async deny(oobCode, call) {
      await answer('deny', `Deny (reject) the push${about(oobCode, call, 'for')} on the authenticator, ${OR_SKIP}`, call)
    },
    async otp(oobCode, call) {
      return answer('otp', `Type the code sent${about(oobCode, call, 'to')}, exactly as received, ${OR_SKIP}`, call)
    },
    async close() {
      rl.close()
    },
  }
}

const prefix = (check: string | undefined) => (check === undefined ? '' : `[${check}] `)

/** The user and the whole `oob_code`: " for push@example.test (transaction …)". */
function about(oobCode: string, { loginHint }: DriverCall, preposition: 'for' | 'to'): string {
  return `${loginHint === undefined ? '' : ` ${preposition} ${loginHint}`} (transaction ${oobCode})`
}

function inputEndedFailure(): OobConformanceError {
  return new OobConformanceError('ERR_DRIVER_FAILED', 'the terminal input ended before the prompt was answered')
}

/** What a withdrawn prompt rejects with: the signal's reason, as `fetch` does, when it is an error. */
function withdrawn(signal: AbortSignal): unknown {
  if (signal.reason instanceof Error) return signal.reason
  return new OobConformanceError('ERR_ABORTED', 'the prompt was withdrawn: the check ended', { cause: signal.reason })
}
