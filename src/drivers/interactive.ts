/**
 * `--driver interactive`: a person at the terminal plays the user. Prompts are queued so concurrent checks ask
 * one question at a time; every prompt says which user and transaction it is about.
 * @module
 */
import { createInterface } from 'node:readline/promises'
import { OobConformanceError } from '../errors.js'
import type { Driver } from './driver.js'

export function interactiveDriver(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Driver {
  const rl = createInterface({ input, output, terminal: false })
  // Once the input has ended (CI, `< /dev/null`) no answer can come: fail the prompt rather than wait.
  const inputEnded = new AbortController()
  rl.once('close', () => inputEnded.abort())
  let queue: Promise<unknown> = Promise.resolve()
  const ask = (question: string): Promise<string> => {
    const answer = queue.then(async () => {
      try {
        return await rl.question(`\n${question}\n> `, { signal: inputEnded.signal })
      } catch {
        throw new OobConformanceError('ERR_DRIVER_FAILED',
          'the terminal input ended before the prompt was answered')
      }
    })
    queue = answer.catch(() => undefined)
    return answer
  }
  const short = (oobCode: string) => `${oobCode.slice(0, 8)}…`
  return {
    async approve(oobCode, { bindingCode }) {
      const tap = bindingCode ? ` and tap the number ${bindingCode}` : ''
      await ask(`Approve the push for transaction ${short(oobCode)} on the authenticator${tap}, then press Enter.`)
    },
    async deny(oobCode) {
      await ask(`Deny (reject) the push for transaction ${short(oobCode)} on the authenticator, then press Enter.`)
    },
    async otp(oobCode) {
      const code = await ask(`Type the code you received for transaction ${short(oobCode)}, exactly as shown, then press Enter.`)
      return code.replace(/\r?\n$/, '')
    },
    async close() {
      rl.close()
    },
  }
}
