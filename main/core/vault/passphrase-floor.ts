import { CoreError } from '../core-error.js';

// The passphrase strength floor, in main: zxcvbn and its dictionaries load on first use (not at
// start-up), and are warmed while the set-up screen is shown, so creating a vault does not wait.

type Strengths = typeof import('../../../common/passphrase-strength.js');
let loading: Promise<Strengths> | undefined;
const load = (): Promise<Strengths> => (loading ??= import('../../../common/passphrase-strength.js'));

/** Loads zxcvbn and rates one passphrase in the background: the first rating is the slow one. */
export function warmPassphraseFloor(): void {
  void load().then((m) => m.passphraseStrength('warming up the checker'), () => {});
}

/** Refuses a passphrase below the floor, naming the field and the rule. */
export async function refuseWeakPassphrase(field: string, passphrase: string): Promise<void> {
  const problem = (await load()).weakPassphraseProblem(passphrase);
  if (problem) throw new CoreError('INVALID_INPUT', `Passphrase ${problem}.`, { fields: { [field]: problem } });
}
