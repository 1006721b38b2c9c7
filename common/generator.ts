import { z } from 'zod';
import { EFF_WORDS } from './eff-words.js';

// Passwords, passphrases and API-token-like strings, drawn uniformly: every index comes from
// crypto.getRandomValues with rejection sampling (a plain `% n` would favour the first
// 2^32 mod n symbols), and a password that must use every chosen set is redrawn whole until it
// does, so each valid password is exactly as likely as any other. The entropy shown is the
// base-2 logarithm of how many values these options can produce.

export const CHARSETS = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  // No quotes, backslash, backtick or space: the value must survive shells, .env files and JSON.
  symbols: '!#$%&()*+,-./:;<=>?@[]^_{|}~',
} as const;
export type CharsetName = keyof typeof CHARSETS;
export const CHARSET_NAMES = Object.keys(CHARSETS) as CharsetName[];
/** Characters people misread: 0/O/o, 1/l/I/|, and friends. */
export const AMBIGUOUS = new Set('0Oo1lI|5S2Z8B{}[]()/\\\'"`~,;:.<>');

export const TOKEN_ALPHABETS = {
  hex: '0123456789abcdef',
  base62: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
} as const;
export type TokenAlphabet = keyof typeof TOKEN_ALPHABETS;
export const PASSPHRASE_SEPARATORS = ['-', ' ', '.', '_', ','] as const;

export const GENERATOR_LIMITS = {
  password: { min: 8, max: 128 },
  words: { min: 3, max: 20 },
  token: { min: 16, max: 256 },
  prefixMax: 16,
} as const;

const L = GENERATOR_LIMITS;
export const GENERATOR_RULES = {
  length: `must be a whole number from ${L.password.min} to ${L.password.max}`,
  sets: 'must include at least one character set',
  words: `must be a whole number from ${L.words.min} to ${L.words.max}`,
  separator: `must be one of ${PASSPHRASE_SEPARATORS.map((s) => JSON.stringify(s)).join(', ')}`,
  tokenLength: `must be a whole number from ${L.token.min} to ${L.token.max}`,
  alphabet: `must be one of ${Object.keys(TOKEN_ALPHABETS).join(', ')}`,
  prefix: `must be at most ${L.prefixMax} letters, digits, underscores or hyphens`,
} as const;

const int = (min: number, max: number, rule: string) => z.number({ error: rule }).int({ error: rule }).min(min, { error: rule }).max(max, { error: rule });

export const generatorOptionsSchema = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('password'),
      length: int(L.password.min, L.password.max, GENERATOR_RULES.length),
      sets: z.array(z.enum(CHARSET_NAMES)).min(1, { error: GENERATOR_RULES.sets }),
      avoidAmbiguous: z.boolean(),
    })
    .refine((o) => new Set(o.sets).size <= o.length, { error: 'must be at least the number of character sets', path: ['length'] }),
  z.strictObject({
    kind: z.literal('passphrase'),
    words: int(L.words.min, L.words.max, GENERATOR_RULES.words),
    separator: z.enum(PASSPHRASE_SEPARATORS, { error: GENERATOR_RULES.separator }),
    capitalize: z.boolean(),
    includeNumber: z.boolean(),
  }),
  z.strictObject({
    kind: z.literal('token'),
    length: int(L.token.min, L.token.max, GENERATOR_RULES.tokenLength),
    alphabet: z.enum(Object.keys(TOKEN_ALPHABETS) as TokenAlphabet[], { error: GENERATOR_RULES.alphabet }),
    prefix: z.string().max(L.prefixMax, { error: GENERATOR_RULES.prefix }).regex(/^[A-Za-z0-9_-]*$/, { error: GENERATOR_RULES.prefix }),
  }),
]);
export type GeneratorOptions = z.infer<typeof generatorOptionsSchema>;
export type GeneratorKind = GeneratorOptions['kind'];

export const DEFAULT_GENERATOR_OPTIONS: { [K in GeneratorKind]: Extract<GeneratorOptions, { kind: K }> } = {
  password: { kind: 'password', length: 20, sets: ['lower', 'upper', 'digits', 'symbols'], avoidAmbiguous: false },
  passphrase: { kind: 'passphrase', words: 6, separator: '-', capitalize: false, includeNumber: false },
  token: { kind: 'token', length: 40, alphabet: 'base62', prefix: '' },
};

export interface Generated {
  value: string;
  /** log2 of the number of values these options can produce. */
  entropyBits: number;
}

/** Fills the array with random 32-bit words; crypto.getRandomValues unless a test supplies another. */
export type RandomSource = (into: Uint32Array) => void;
export const cryptoRandom: RandomSource = (into) => {
  globalThis.crypto.getRandomValues(into);
};

const TWO_32 = 2 ** 32;

/** A uniform integer in [0, n): draws above the largest multiple of n are thrown away and redrawn. */
export function randomIndex(n: number, random: RandomSource = cryptoRandom): number {
  if (!Number.isInteger(n) || n < 1 || n > TWO_32) throw new RangeError('n must be a whole number from 1 to 2^32');
  const limit = TWO_32 - (TWO_32 % n);
  const word = new Uint32Array(1);
  for (;;) {
    random(word);
    if (word[0]! < limit) return word[0]! % n;
  }
}

const pick = (alphabet: string, count: number, random: RandomSource) => Array.from({ length: count }, () => alphabet[randomIndex(alphabet.length, random)]!).join('');

export function charsetsFor(sets: readonly CharsetName[], avoidAmbiguous: boolean): string[] {
  return [...new Set(sets)].map((name) => [...CHARSETS[name]].filter((c) => !avoidAmbiguous || !AMBIGUOUS.has(c)).join(''));
}

/** Throws a RangeError naming the field and its rule; the panel checks first with the schema. */
export function generate(options: GeneratorOptions, random: RandomSource = cryptoRandom): Generated {
  const parsed = generatorOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RangeError(`${issue.path.join('.') || 'options'} ${issue.message}`);
  }
  const o = parsed.data;
  switch (o.kind) {
    case 'password': {
      const sets = charsetsFor(o.sets, o.avoidAmbiguous);
      const all = sets.join('');
      // Redrawing the whole password keeps the draw uniform over the passwords that use every set
      // (fixing one character per set, then shuffling, would not).
      for (;;) {
        const value = pick(all, o.length, random);
        if (sets.every((set) => [...value].some((c) => set.includes(c)))) return { value, entropyBits: passwordEntropy(sets.map((s) => s.length), o.length) };
      }
    }
    case 'passphrase': {
      const words = Array.from({ length: o.words }, () => EFF_WORDS[randomIndex(EFF_WORDS.length, random)]!);
      const shown = o.capitalize ? words.map((w) => w[0]!.toUpperCase() + w.slice(1)) : words;
      let bits = o.words * Math.log2(EFF_WORDS.length);
      if (o.includeNumber) {
        const at = randomIndex(shown.length, random);
        shown[at] = `${shown[at]}${randomIndex(10, random)}`;
        bits += Math.log2(10 * shown.length);
      }
      return { value: shown.join(o.separator), entropyBits: bits };
    }
    case 'token': {
      const alphabet = TOKEN_ALPHABETS[o.alphabet];
      return { value: o.prefix + pick(alphabet, o.length, random), entropyBits: o.length * Math.log2(alphabet.length) };
    }
  }
}

/**
 * log2 of the number of length-`length` strings over the union of the sets that use each set at
 * least once, by inclusion-exclusion over the sets left out: Σ (-1)^|S| (N - |S's chars|)^length.
 * Exact in BigInt, since 94^128 is far beyond a double's integers.
 */
export function passwordEntropy(setSizes: readonly number[], length: number): number {
  let count = 0n;
  const total = setSizes.reduce((a, b) => a + b, 0);
  for (let mask = 0; mask < 1 << setSizes.length; mask++) {
    let left = total;
    let size = 0;
    for (let i = 0; i < setSizes.length; i++) {
      if (mask & (1 << i)) {
        left -= setSizes[i]!;
        size++;
      }
    }
    const term = BigInt(left) ** BigInt(length);
    count += size % 2 === 0 ? term : -term;
  }
  return log2BigInt(count);
}

function log2BigInt(value: bigint): number {
  if (value <= 0n) return 0;
  const bits = value.toString(2).length;
  const shift = Math.max(0, bits - 53);
  return Math.log2(Number(value >> BigInt(shift))) + shift;
}

/** Words for the entropy, as password managers show it. */
export function strengthLabel(bits: number): 'weak' | 'fair' | 'strong' | 'very strong' {
  if (bits < 50) return 'weak';
  if (bits < 75) return 'fair';
  if (bits < 110) return 'strong';
  return 'very strong';
}
