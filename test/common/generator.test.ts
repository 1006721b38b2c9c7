import { describe, expect, it } from 'vitest';
import { EFF_WORDS } from '../../common/eff-words.js';
import {
  AMBIGUOUS,
  CHARSETS,
  GENERATOR_RULES,
  TOKEN_ALPHABETS,
  generate,
  generatorOptionsSchema,
  passwordEntropy,
  randomIndex,
  strengthLabel,
  type RandomSource,
} from '../../common/generator.js';

/** A source that plays back the given 32-bit words, and counts how many it gave. */
function scripted(words: number[]): RandomSource & { used: number } {
  const source = Object.assign(
    (into: Uint32Array) => {
      for (let i = 0; i < into.length; i++) {
        if (source.used >= words.length) throw new Error('script ran out');
        into[i] = words[source.used++]!;
      }
    },
    { used: 0 },
  );
  return source;
}

/** The chi-square statistic a fair die would exceed with probability 1e-6 (Wilson–Hilferty). */
function chiSquareLimit(df: number): number {
  const z = 4.753; // one-sided 1e-6
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

function chiSquare(counts: number[], expected: number): number {
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

describe('randomIndex', () => {
  it('throws away draws above the largest multiple of n instead of folding them (no modulo bias)', () => {
    // 2^32 mod 3 = 1: 0xFFFFFFFF is the one word that would make 0 more likely than 1 and 2.
    const source = scripted([0xffffffff, 5]);
    expect(randomIndex(3, source)).toBe(2);
    expect(source.used).toBe(2);
    // n = 3·2^30: a quarter of all words lie above the last multiple and must be redrawn.
    const big = 3 * 2 ** 30;
    const source2 = scripted([big, big + 12345, 7]);
    expect(randomIndex(big, source2)).toBe(7);
    expect(source2.used).toBe(3);
    // Just below the limit is kept.
    expect(randomIndex(big, scripted([big - 1]))).toBe(big - 1);
  });

  it('is uniform over [0, n) with the real source (chi-square, 1e-6 level)', () => {
    for (const n of [6, 10, 62]) {
      const draws = 3000 * n;
      const counts = new Array<number>(n).fill(0);
      for (let i = 0; i < draws; i++) counts[randomIndex(n)]!++;
      expect(chiSquare(counts, draws / n)).toBeLessThan(chiSquareLimit(n - 1));
    }
  });

  it('refuses a range it cannot draw from', () => {
    expect(() => randomIndex(0)).toThrow(RangeError);
    expect(() => randomIndex(1.5)).toThrow(RangeError);
    expect(randomIndex(1, scripted([123]))).toBe(0);
  });
});

describe('passwords', () => {
  it('have the length asked for, use every chosen set, and nothing else', () => {
    for (const length of [8, 13, 64, 128]) {
      for (let i = 0; i < 20; i++) {
        const { value } = generate({ kind: 'password', length, sets: ['lower', 'digits', 'symbols'], avoidAmbiguous: false });
        expect(value).toHaveLength(length);
        expect(value).toMatch(/[a-z]/);
        expect(value).toMatch(/[0-9]/);
        expect([...value].some((c) => CHARSETS.symbols.includes(c))).toBe(true);
        expect(value).not.toMatch(/[A-Z]/);
      }
    }
  });

  it('leave out look-alike characters when asked', () => {
    const { value } = generate({ kind: 'password', length: 128, sets: ['lower', 'upper', 'digits', 'symbols'], avoidAmbiguous: true });
    expect([...value].filter((c) => AMBIGUOUS.has(c))).toEqual([]);
  });

  it('draw every character of the union equally often (chi-square)', () => {
    const sets = ['upper', 'digits'] as const;
    const alphabet = CHARSETS.upper + CHARSETS.digits;
    const counts = new Map([...alphabet].map((c) => [c, 0]));
    let total = 0;
    for (let i = 0; i < 2000; i++) {
      for (const c of generate({ kind: 'password', length: 40, sets: [...sets], avoidAmbiguous: false }).value) {
        counts.set(c, counts.get(c)! + 1);
        total++;
      }
    }
    expect(chiSquare([...counts.values()], total / alphabet.length)).toBeLessThan(chiSquareLimit(alphabet.length - 1));
  });

  it('report the exact entropy: inclusion-exclusion matches brute-force counting', () => {
    // Sets of 2 and 3 symbols, length 4: count the strings that use both sets by enumeration.
    const a = 'ab';
    const b = 'xyz';
    const all = a + b;
    let count = 0;
    for (let i = 0; i < all.length ** 4; i++) {
      const s = [0, 1, 2, 3].map((k) => all[Math.floor(i / all.length ** k) % all.length]!).join('');
      if ([...s].some((c) => a.includes(c)) && [...s].some((c) => b.includes(c))) count++;
    }
    expect(passwordEntropy([2, 3], 4)).toBeCloseTo(Math.log2(count), 10);
    expect(passwordEntropy([26], 20)).toBeCloseTo(20 * Math.log2(26), 10);
    const full = generate({ kind: 'password', length: 20, sets: ['lower', 'upper', 'digits', 'symbols'], avoidAmbiguous: false }).entropyBits;
    expect(full).toBeLessThan(20 * Math.log2(26 + 26 + 10 + CHARSETS.symbols.length));
    expect(full).toBeGreaterThan(20 * Math.log2(26 + 26 + 10 + CHARSETS.symbols.length) - 1);
  });
});

describe('passphrases', () => {
  it('join the asked number of EFF words with the separator', () => {
    const { value, entropyBits } = generate({ kind: 'passphrase', words: 6, separator: '.', capitalize: false, includeNumber: false });
    const words = value.split('.');
    expect(words).toHaveLength(6);
    for (const word of words) expect(EFF_WORDS).toContain(word);
    expect(entropyBits).toBeCloseTo(6 * Math.log2(7776), 10);
  });

  it('capitalise each word and add one digit when asked', () => {
    const { value, entropyBits } = generate({ kind: 'passphrase', words: 4, separator: ' ', capitalize: true, includeNumber: true });
    const words = value.split(' ');
    expect(words).toHaveLength(4);
    for (const word of words) expect(word[0]).toBe(word[0]!.toUpperCase());
    expect(value.match(/[0-9]/g)).toHaveLength(1);
    expect(entropyBits).toBeCloseTo(4 * Math.log2(7776) + Math.log2(40), 10);
  });

  it('come from EFF\'s large list: 7,776 distinct words in dice order', () => {
    expect(EFF_WORDS).toHaveLength(7776);
    expect(new Set(EFF_WORDS).size).toBe(7776);
    expect(EFF_WORDS[0]).toBe('abacus');
    expect(EFF_WORDS.at(-1)).toBe('zoom');
    for (const word of EFF_WORDS) expect(word).toMatch(/^[a-z]+(-[a-z]+)?$/);
  });
});

describe('API-token-like strings', () => {
  it.each(Object.keys(TOKEN_ALPHABETS) as (keyof typeof TOKEN_ALPHABETS)[])('use only the %s alphabet, after the prefix', (alphabet) => {
    const { value, entropyBits } = generate({ kind: 'token', length: 48, alphabet, prefix: 'sk_live_' });
    expect(value.startsWith('sk_live_')).toBe(true);
    const body = value.slice('sk_live_'.length);
    expect(body).toHaveLength(48);
    expect([...body].every((c) => TOKEN_ALPHABETS[alphabet].includes(c))).toBe(true);
    expect(entropyBits).toBeCloseTo(48 * Math.log2(TOKEN_ALPHABETS[alphabet].length), 10);
  });
});

describe('options', () => {
  it('are refused with the field and its rule', () => {
    expect(() => generate({ kind: 'password', length: 7, sets: ['lower'], avoidAmbiguous: false })).toThrow(`length ${GENERATOR_RULES.length}`);
    expect(() => generate({ kind: 'password', length: 12, sets: [], avoidAmbiguous: false })).toThrow(`sets ${GENERATOR_RULES.sets}`);
    expect(() => generate({ kind: 'passphrase', words: 2, separator: '-', capitalize: false, includeNumber: false })).toThrow(`words ${GENERATOR_RULES.words}`);
    const bad = generatorOptionsSchema.safeParse({ kind: 'token', length: 40, alphabet: 'base62', prefix: 'has space' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['prefix'], message: GENERATOR_RULES.prefix });
  });

  it('label the strength by entropy', () => {
    expect(strengthLabel(40)).toBe('weak');
    expect(strengthLabel(60)).toBe('fair');
    expect(strengthLabel(80)).toBe('strong');
    expect(strengthLabel(128)).toBe('very strong');
  });
});
