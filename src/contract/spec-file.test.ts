import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readSpec } from './spec-file.js'

describe('readSpec', () => {
  it('parses YAML and reports unreadable or malformed files with ERR_SPEC_INVALID', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oob-spec-'))
    try {
      writeFileSync(join(dir, 'ok.yaml'), 'openapi: 3.1.0\n')
      writeFileSync(join(dir, 'bad.yaml'), 'openapi: [3.1.0\n')
      expect(readSpec(join(dir, 'ok.yaml'))).toEqual({ openapi: '3.1.0' })
      expect(() => readSpec(join(dir, 'bad.yaml')))
        .toThrow(expect.objectContaining({ code: 'ERR_SPEC_INVALID' }))
      expect(() => readSpec(join(dir, 'missing.yaml'))).toThrow(/cannot read/)
    } finally {
      rmSync(dir, { recursive: true })
    }
  })
})
