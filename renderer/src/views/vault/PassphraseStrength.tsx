import { useEffect, useState } from 'react';
import type { Strength } from '../../../../common/passphrase-strength.js';

// zxcvbn with its dictionaries is large; it loads only when a passphrase is being chosen.
type Strengths = typeof import('../../../../common/passphrase-strength.js');
let modulePromise: Promise<Strengths> | undefined;
const loadStrengths = (): Promise<Strengths> => (modulePromise ??= import('../../../../common/passphrase-strength.js'));

export interface StrengthCheck {
  /** Undefined while zxcvbn loads, or while nothing is typed. */
  strength: Strength | undefined;
  /** Below the floor main also enforces: the form refuses it and says why. */
  tooWeak: boolean;
  /** The field's message when it is too weak. */
  problem: string | undefined;
}

/** Rates the passphrase as it is typed, against the same floor main enforces. */
export function usePassphraseStrength(passphrase: string): StrengthCheck {
  const [mod, setMod] = useState<Strengths | undefined>();
  useEffect(() => {
    let live = true;
    void loadStrengths().then((m) => live && setMod(() => m));
    return () => {
      live = false;
    };
  }, []);
  if (!mod || !passphrase) return { strength: undefined, tooWeak: !!passphrase, problem: undefined };
  const strength = mod.passphraseStrength(passphrase);
  const tooWeak = strength.score < mod.PASSPHRASE_MIN_SCORE;
  return { strength, tooWeak, problem: tooWeak ? `Passphrase ${mod.weakPassphraseRule(strength)}.` : undefined };
}

const LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

/** A live strength meter: score, the estimated time to guess it offline, and how to make it better. */
export function PassphraseStrength({ passphrase, check }: { passphrase: string; check: StrengthCheck }) {
  if (!passphrase) return null;
  const result = check.strength;
  if (!result) return <p className="muted small">Checking strength…</p>;
  return (
    <div className="strength" aria-live="polite">
      <div className={`strength-bar score-${result.score}`} role="meter" aria-label="Passphrase strength" aria-valuemin={0} aria-valuemax={4} aria-valuenow={result.score} aria-valuetext={LABELS[result.score]}>
        {[0, 1, 2, 3].map((i) => (
          <span key={i} className={i < Math.max(1, result.score) ? 'filled' : undefined} />
        ))}
      </div>
      <p className="small">
        <strong>{LABELS[result.score]}</strong>: would take {result.crackTime} to guess offline.
        {result.warning ? ` ${result.warning}` : ''} {result.suggestions.join(' ')}
      </p>
    </div>
  );
}
