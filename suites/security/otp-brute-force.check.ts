import type { HttpResponse } from '../../src/http/client.js'
import { check, describeResponse, fail, hasTokens, notJudged, oauthError, pass } from '../../src/engine/index.js'

const MAX_GUESSES = 10

/**
 * The `n`th wrong guess shaped like `otp`: a numeric code counts up from it; any other gets, for its last
 * character, a digit other than its own, which not even a case-insensitive comparison takes for the code.
 */
function wrongGuess(otp: string, n: number): string {
  if (/^[0-9]+$/.test(otp)) return String((Number(otp) + n) % 10 ** otp.length).padStart(otp.length, '0')
  const digits = '0123456789'.replace(otp.slice(-1), '')
  return otp.slice(0, -1) + digits[n % digits.length]
}

/** Status, error and description: a change in any of them says the server now treats the code differently. */
function answer(res: HttpResponse): string {
  const description = (res.json as { error_description?: unknown } | undefined)?.error_description
  const quoted = typeof description === 'string' ? ` ("${description}")` : ''
  return `${res.status} ${oauthError(res) ?? ''}${quoted}`
}

check('security/otp-brute-force', `sms: after up to ${MAX_GUESSES} wrong codes the right one no longer works`,
  ['OOB-S-OTP-BRUTE-FORCE'],
  async ({ oob, user, note }) => {
    const tx = await oob.start('sms')
    const otp = await user.otp(tx)
    // A 429 is a generic rate limit, not an attempt limit: every request waits it out (the run's 429 policy)
    // and the guessing goes on. Only the right code refused after the wrong ones proves a limit.
    const send = async (code: string, what: string) => {
      const res = await oob.token(tx.oobCode, { binding_code: code }, tx.client)
      if (res.status === 429) {
        notJudged(`${what} was still answered 429 after the waits the server asked for: the attempt limit could ` +
          'not be reached within the run\'s bounds', 'OOB-S-OTP-BRUTE-FORCE')
      }
      return res
    }
    let first: string | undefined
    let guesses = 0
    let stopped = ''
    while (guesses < MAX_GUESSES && !stopped) {
      const guess = wrongGuess(otp, ++guesses)
      const res = await send(guess, `wrong code #${guesses}`)
      if (hasTokens(res)) fail('OOB-S-PROMPT-WRONG-CODE', `wrong code #${guesses} was accepted: ${describeResponse(res)}`)
      const now = answer(res)
      first ??= now
      if (now !== first) stopped = `after ${guesses - 1} wrong codes the answer is ${now}`
    }
    const right = await send(otp, 'the right code')
    if (hasTokens(right)) {
      const why = stopped ? ` (${stopped})` : ''
      fail('OOB-S-OTP-BRUTE-FORCE', `after ${guesses} wrong codes${why} the right code still yields tokens: no attempt limit`)
    }
    pass('OOB-S-OTP-BRUTE-FORCE', `the right code got ${answer(right)} after the wrong ones`)
    note(`${stopped || `${guesses} wrong codes`}; then the right code got ${answer(right)}`)
  })
