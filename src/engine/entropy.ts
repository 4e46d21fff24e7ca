/**
 * A black-box estimate of how much entropy generated codes (`oob_code`) carry, from a handful of samples.
 *
 * Method: characters shared by every sample at its start or end (a constant prefix or suffix) carry nothing;
 * of the positions in between, only those whose character differs between samples count, and each carries
 * log2 of the size of the smallest standard alphabet that holds every character seen there. The result is an
 * upper bound — a hash of a counter looks random to it — so it can prove a code too weak, never strong.
 * @module
 */

export interface Alphabet {
  name: string
  size: number
  pattern: RegExp
}

/** Smallest first: the first one that holds every varying character is the alphabet of the code. */
const ALPHABETS: readonly Alphabet[] = [
  { name: 'decimal digits', size: 10, pattern: /^[0-9]*$/ },
  { name: 'lower-case hex', size: 16, pattern: /^[0-9a-f]*$/ },
  { name: 'upper-case hex', size: 16, pattern: /^[0-9A-F]*$/ },
  { name: 'lower-case letters', size: 26, pattern: /^[a-z]*$/ },
  { name: 'upper-case letters', size: 26, pattern: /^[A-Z]*$/ },
  { name: 'base32', size: 32, pattern: /^[A-Z2-7]*$/ },
  { name: 'lower-case letters and digits', size: 36, pattern: /^[a-z0-9]*$/ },
  { name: 'upper-case letters and digits', size: 36, pattern: /^[A-Z0-9]*$/ },
  { name: 'letters and digits', size: 62, pattern: /^[A-Za-z0-9]*$/ },
  { name: 'base64url', size: 64, pattern: /^[A-Za-z0-9_-]*$/ },
  { name: 'base64', size: 64, pattern: /^[A-Za-z0-9+/]*$/ },
  { name: 'A-Z a-z 0-9 . - _', size: 65, pattern: /^[A-Za-z0-9._-]*$/ },
  { name: 'printable ASCII', size: 95, pattern: /^[\x20-\x7e]*$/ },
]

export interface EntropyEstimate {
  /** Estimated bits per code, rounded down to a tenth. */
  bits: number
  samples: number
  distinct: number
  /** Shared by every sample; carries no entropy. */
  constantPrefix: string
  constantSuffix: string
  /** Positions between prefix and suffix whose character differs between samples. */
  varyingPositions: number
  alphabet: { name: string; size: number }
  /** The method and the figures, in one line for a report. */
  summary: string
}

function commonPrefixLength(samples: readonly string[]): number {
  const [first = ''] = samples
  let n = 0
  while (n < first.length && samples.every((s) => s.length > n && s[n] === first[n])) n++
  return n
}

function commonSuffixLength(samples: readonly string[]): number {
  const reversed = samples.map((s) => [...s].reverse().join(''))
  return commonPrefixLength(reversed)
}

function alphabetOf(characters: string): { name: string; size: number } {
  const standard = ALPHABETS.find((a) => a.pattern.test(characters))
  if (standard) return { name: standard.name, size: standard.size }
  // Outside printable ASCII there is no standard class: count what was seen, which can only underestimate.
  return { name: 'characters seen', size: new Set(characters).size }
}

export function estimateEntropy(samples: readonly string[]): EntropyEstimate {
  const prefix = commonPrefixLength(samples)
  const middles = samples.map((s) => s.slice(prefix))
  const suffix = samples.length < 2 ? 0 : commonSuffixLength(middles)
  const cores = middles.map((m) => m.slice(0, m.length - suffix))
  const longest = Math.max(0, ...cores.map((c) => c.length))
  let varyingPositions = 0
  let varyingCharacters = ''
  for (let i = 0; i < longest; i++) {
    // A sample that has ended counts as one more distinct "character" at this position.
    const seen = new Set(cores.map((c) => c[i] ?? ''))
    if (seen.size < 2) continue
    varyingPositions++
    varyingCharacters += [...seen].join('')
  }
  const alphabet = alphabetOf(varyingCharacters)
  const distinct = new Set(samples).size
  let bits = varyingPositions * Math.log2(Math.max(alphabet.size, 1))
  let repeat = ''
  if (distinct < samples.length) {
    // A repeat among n samples is likely only when there are about n²/2 codes or fewer (birthday bound).
    bits = Math.min(bits, Math.log2(samples.length ** 2 / 2))
    repeat = `; codes repeat (${distinct} distinct of ${samples.length}): at most ~${Math.floor(bits)} bits`
  }
  bits = Math.floor(bits * 10) / 10
  const first = samples[0] ?? ''
  const constantPrefix = first.slice(0, prefix)
  const constantSuffix = suffix === 0 ? '' : first.slice(first.length - suffix)
  const constant = constantPrefix || constantSuffix
    ? `, ignoring the constant prefix "${constantPrefix}" and suffix "${constantSuffix}"`
    : ''
  const summary = `${samples.length} codes: ${varyingPositions} varying positions × log2(${alphabet.size}) ` +
    `(${alphabet.name}) ≈ ${bits} bits${constant}${repeat}`
  return {
    bits, samples: samples.length, distinct, constantPrefix, constantSuffix, varyingPositions, alphabet,
    summary,
  }
}
