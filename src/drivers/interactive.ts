/**
 * `--driver interactive`: a person at the terminal plays the user. Prompts are queued so concurrent checks ask
 * one question at a time; every prompt says which user and transaction it is about.
 * @module
 */
import { createInterface } from 'node:readline/promises'
import type { Driver } from './driver.js'

export function interactiveDriver(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Driver {
  const rl = createInterface({ input, output, terminal: false })
  let queue: Promise<unknown> = Promise.resolve()
  const ask = (question: string): Promise<string> => {
    const answer = queue.then(() => rl.question(`\n${question}\n> `))
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
