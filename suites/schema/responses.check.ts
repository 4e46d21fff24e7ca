import {
  gradeExchanges, initiationFieldRequirement, isCharsetProblem, isHeaderProblem, isInitiation,
} from '../../src/engine/index.js'

// Each grader judges every response of the run from the endpoints under test against spec/openapi.yaml.

gradeExchanges({
  id: 'schema/status-documented',
  title: 'every response status is one the spec documents for its endpoint',
  requirement: 'OOB-S-DOCUMENTED-STATUS',
  applies: () => true,
  owns: (p) => p.where === 'status',
})

gradeExchanges({
  id: 'schema/initiation-success',
  title: 'initiation 200 responses match OobAuthenticateResponse',
  requirement: 'OOB-S-INIT-RESPONSE-FIELDS',
  applies: (op, status) => isInitiation(op) && status === 200,
  // binding_method, binding_code and interval have requirements of their own (below).
  owns: (p, op, status, body) => isInitiation(op) && status === 200 &&
    (p.where === 'body' || p.where === 'content-type') && initiationFieldRequirement(p, body) === undefined,
})

// Each of the transaction fields whose presence depends on the channel or binding method.
for (const [id, title, requirement] of [
  ['schema/push-binding-method', 'push initiations say binding_method none or transfer', 'OOB-S-PUSH-BINDING-METHOD'],
  ['schema/prompt-binding-method', 'sms, voice and email initiations say binding_method prompt', 'OOB-S-PROMPT-BINDING-METHOD'],
  ['schema/push-interval', 'push initiations return interval', 'OOB-S-INIT-PUSH-INTERVAL'],
  ['schema/prompt-no-interval', 'sms, voice and email initiations return no interval', 'OOB-S-NO-INTERVAL-FOR-PROMPT'],
  ['schema/binding-code', 'binding_code comes exactly with binding_method transfer', 'OOB-S-BINDING-CODE-IFF-TRANSFER'],
] as const) {
  gradeExchanges({
    id, title, requirement,
    applies: (op, status) => isInitiation(op) && status === 200,
    owns: (p, op, status, body) => isInitiation(op) && status === 200 && initiationFieldRequirement(p, body) === requirement,
  })
}

gradeExchanges({
  id: 'schema/token-success',
  title: 'token 200 responses match TokenResponse',
  requirement: 'OOB-S-TOKEN-RESPONSE',
  applies: (op, status) => op === 'token' && status === 200,
  owns: (p, op, status) => op === 'token' && status === 200 && (p.where === 'body' || p.where === 'content-type'),
})

gradeExchanges({
  id: 'schema/token-cache-control',
  title: 'token 200 responses carry Cache-Control: no-store',
  requirement: 'OOB-S-TOKEN-NO-STORE',
  applies: (op, status) => op === 'token' && status === 200,
  owns: (p, op, status) => op === 'token' && status === 200 && isHeaderProblem(p, 'cache-control'),
})

gradeExchanges({
  id: 'schema/token-pragma',
  title: 'token 200 responses carry Pragma: no-cache',
  requirement: 'OOB-S-TOKEN-PRAGMA-NO-CACHE',
  applies: (op, status) => op === 'token' && status === 200,
  owns: (p, op, status) => op === 'token' && status === 200 && isHeaderProblem(p, 'pragma'),
})

gradeExchanges({
  id: 'schema/error-body',
  title: 'error responses are JSON objects with an error code the spec allows',
  requirement: 'OOB-S-ERROR-JSON',
  applies: (_op, status) => status >= 400 && status < 500,
  owns: (p, _op, status) => status >= 400 && status < 500 &&
    (p.where === 'content-type' || (p.where === 'body' && !isCharsetProblem(p))),
})

gradeExchanges({
  id: 'schema/error-charset',
  title: 'error and error_description use the RFC 6749 §5.2 character set',
  requirement: 'OOB-S-ERROR-CHARSET',
  applies: (_op, status) => status >= 400 && status < 500,
  owns: (p, _op, status) => status >= 400 && status < 500 && isCharsetProblem(p),
})

gradeExchanges({
  id: 'schema/www-authenticate',
  title: '401 after Basic authentication carries WWW-Authenticate',
  requirement: 'OOB-S-WWW-AUTHENTICATE',
  applies: (_op, status) => status === 401,
  owns: (p, _op, status) => status === 401 && isHeaderProblem(p, 'www-authenticate'),
})
