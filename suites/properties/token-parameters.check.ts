import {
  check, checkProperty, describeRequest, expectContractResponse, materialize, requestArbitrary,
} from '../../src/engine/index.js'

// The live code is never approved, so no request, however close to a correct one, may yield tokens.
check('properties/token-parameters', 'generated token requests: no 5xx, no tokens unapproved, spec errors',
  ['OOB-S-NO-SERVER-ERROR', 'OOB-S-DOCUMENTED-STATUS', 'OOB-S-NO-FOREIGN-TOKENS', 'OOB-S-ERROR-JSON'],
  async (c) => {
    const tx = await c.oob.start('push')
    const context = { target: c.target, oobCode: tx.oobCode }
    await checkProperty(c, requestArbitrary('token', c.target), async (generated, run) => {
      const request = materialize(generated, context)
      const basic = /^basic /i.test(request.headers?.authorization ?? '')
      const res = await run.http.send(request)
      expectContractResponse(res, 'token', c.target.profile, basic, 'a generated token request')
    }, { lanes: 4, describe: (generated) => describeRequest(materialize(generated, context)) })
  })
