import fc from 'fast-check'
import {
  check, checkProperty, describeRequest, expectContractResponse, materialize, requestArbitrary,
} from '../../src/engine/index.js'

check('properties/initiation-parameters', 'generated initiation requests: no 5xx, documented statuses, spec errors',
  ['OOB-S-NO-SERVER-ERROR', 'OOB-S-DOCUMENTED-STATUS', 'OOB-S-ERROR-JSON'],
  async (c) => {
    const context = { target: c.target }
    const requests = fc.oneof(requestArbitrary('primaryAuthenticate', c.target),
      requestArbitrary('oobAuthenticate', c.target))
    await checkProperty(c, requests, async (generated, run) => {
      const request = materialize(generated, context)
      const basic = /^basic /i.test(request.headers?.authorization ?? '')
      const res = await run.http.send(request)
      expectContractResponse(res, generated.operation, c.target.profile, basic,
        `a generated ${generated.operation} request`)
    }, { lanes: 4, describe: (generated) => describeRequest(materialize(generated, context)) })
  })
