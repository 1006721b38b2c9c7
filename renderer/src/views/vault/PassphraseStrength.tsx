import { useEffect, useState } from 'react';

// zxcvbn-ts with its dictionaries is large; it loads only when a passphrase is being chosen.
type Checker = (passphrase: string) => { score: 0 | 1 | 2 | 3 | 4; warning: string | null; suggestions: string[]; crackTime: string };
let checkerPromise: Promise<Checker> | undefined;

function loadChecker(): Promise<Checker> {
  checkerPromise ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')]).then(([core, common, en]) => {
    const zxcvbn = new core.ZxcvbnFactory({ translations: en.translations, graphs: common.adjacencyGraphs, dictionary: { ...common.dictionary, ...en.dictionary } });
    return (passphrase: string) => {
      const result = zxcvbn.check(passphrase);
      return { score: result.score, warning: result.feedback.warning, suggestions: result.feedback.suggestions, crackTime: result.crackTimes.offlineSlowHashingXPerSecond.display };
    };
  });
  return checkerPromise;
}

const LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

/** A live strength meter: score, the estimated time to guess it offline, and how to make it better. */
export function PassphraseStrength({ passphrase }: { passphrase: string }) {
  const [checker, setChecker] = useState<Checker | undefined>();
  useEffect(() => {
    let live = true;
    void loadChecker().then((c) => live && setChecker(() => c));
    return () => {
      live = false;
    };
  }, []);
  if (!passphrase) return null;
  if (!checker) return <p className="muted small">Checking strength…</p>;
  const result = checker(passphrase);
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
