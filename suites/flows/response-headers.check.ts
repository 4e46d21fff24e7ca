import { check, expect, expectTokens } from '../../src/engine/index.js'

check('flows/token-response-headers', 'a token response carries Cache-Control: no-store and Pragma: no-cache',
  ['OOB-S-TOKEN-NO-STORE', 'OOB-S-TOKEN-PRAGMA-NO-CACHE'],
  async ({ oob, user }) => {
    const tx = await oob.start('sms')
    const res = await oob.redeem(tx, { binding_code: await user.otp(tx) })
    expectTokens('OOB-S-PROMPT-CORRECT-CODE', res, 'redeeming with the delivered code')
    const cacheControl = res.headers['cache-control'] ?? ''
    expect('OOB-S-TOKEN-NO-STORE', /(^|,)\s*no-store\s*(,|$)/i.test(cacheControl), `token response Cache-Control is "${cacheControl}", expected no-store`)
    const pragma = res.headers.pragma ?? ''
    expect('OOB-S-TOKEN-PRAGMA-NO-CACHE', /^\s*no-cache\s*$/i.test(pragma), `token response Pragma is "${pragma}", expected no-cache`)
  })

check('flows/initiation-response-headers', 'an initiation response (it carries oob_code) is not cacheable',
  ['OOB-S-INIT-NO-STORE', 'OOB-S-INIT-PRAGMA-NO-CACHE'],
  async ({ oob }) => {
    const res = await oob.authenticate('push')
    expect('OOB-S-INIT-FORM-POST', res.status === 200, `initiation failed: ${res.status}`)
    const cacheControl = res.headers['cache-control'] ?? ''
    expect('OOB-S-INIT-NO-STORE', /(^|,)\s*no-store\s*(,|$)/i.test(cacheControl), `initiation Cache-Control is "${cacheControl}", expected no-store`)
    const pragma = res.headers.pragma ?? ''
    expect('OOB-S-INIT-PRAGMA-NO-CACHE', /^\s*no-cache\s*$/i.test(pragma), `initiation Pragma is "${pragma}", expected no-cache`)
  })
