import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as enDictionary, translations } from '@zxcvbn-ts/language-en';

// How hard a passphrase is to guess (zxcvbn), and the floor below which the vault refuses it. The
// window shows the meter and refuses early; main refuses too, so no other client gets around it.
// This module carries zxcvbn's dictionaries: the window imports it lazily, never from common/vault.ts.

/** 0 very weak … 4 very strong; 3 means at least 10^8 guesses. "password12" is a 1. */
export const PASSPHRASE_MIN_SCORE = 3;
export const STRENGTH_LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

export interface Strength {
  score: 0 | 1 | 2 | 3 | 4;
  warning: string | null;
  suggestions: string[];
  /** How long guessing it would take offline, in words ("less than a second", "centuries"). */
  crackTime: string;
}

let factory: ZxcvbnFactory | undefined;

export function passphraseStrength(passphrase: string): Strength {
  factory ??= new ZxcvbnFactory({ translations, graphs: adjacencyGraphs, dictionary: { ...commonDictionary, ...enDictionary } });
  // zxcvbn's cost grows with length; the first 100 characters decide whether it is guessable.
  const result = factory.check(passphrase.slice(0, 100));
  return { score: result.score, warning: result.feedback.warning, suggestions: result.feedback.suggestions, crackTime: result.crackTimes.offlineSlowHashingXPerSecond.display };
}

export const weakPassphraseRule = (strength: Strength): string =>
  `is too easy to guess (${STRENGTH_LABELS[strength.score].toLowerCase()}: ${strength.crackTime} offline); add a few unrelated words`;

/** Why a passphrase is below the floor, or undefined when it is strong enough. */
export function weakPassphraseProblem(passphrase: string): string | undefined {
  const strength = passphraseStrength(passphrase);
  return strength.score < PASSPHRASE_MIN_SCORE ? weakPassphraseRule(strength) : undefined;
}
