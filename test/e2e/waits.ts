// How long an end-to-end step may take, from what the step costs, for a busy two-core machine (the
// suite is also run three times beside two CPU burners: `npm run test:stress`). These are ceilings:
// every wait is on a state that the step ends in, and ends as soon as that state shows.

/**
 * One Argon2id at the app's default cost (3 passes over 256 MiB). About half a second on an idle
 * two-core machine (`npm run bench`); with both cores taken by other work, the other Playwright
 * worker deriving too and memory tight, seen to take tens of times that. Setting up the vault,
 * every passphrase unlock (right or wrong) and every passphrase change runs one.
 */
export const KDF_MS = 60_000;

/** A UI step that is a few requests to the sandbox and some sealing: the default for `expect`. */
export const STEP_MS = 15_000;

/** The wait for what follows `derivations` key derivations (plus the steps around them). */
export const afterKdf = (derivations = 1) => ({ timeout: derivations * KDF_MS + STEP_MS });

/** A test's ceiling from the key derivations it runs, plus `rest` for everything else it does. */
export const testBudget = (derivations: number, rest = 60_000) => derivations * KDF_MS + rest;
