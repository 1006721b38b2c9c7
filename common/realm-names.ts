import { z } from 'zod';
import { realmIdSchema } from './rules.js';
import { GLOBAL_SCOPE_NAME } from './vault.js';

// Names the user gives realms (the API knows realms by id only). They are kept sealed in the vault,
// in the global scope, so they follow the user to every computer (main/core/vault/realm-names.ts;
// the format is in docs/vault-format.md). Shared by main (which checks every name) and the window
// (which checks as the user types, and shows names wherever a realm id used to show).

export const REALM_NAME_MAX = 64;
/** The scope filter that searches every scope at once. Not a realm id (those are 24 hex characters). */
export const ALL_SCOPES = '*';

export const REALM_NAME_RULES = {
  length: `must be 1 to ${REALM_NAME_MAX} characters`,
  // Control characters could forge line breaks in messages; direction overrides could make one name
  // read as another (the "type the name to delete all" confirmation depends on names reading true).
  characters: 'must not contain control or text-direction characters',
  reserved: `must not be “${GLOBAL_SCOPE_NAME}” (the name of the scope outside every realm)`,
  taken: 'is already the name of another realm',
} as const;

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

/** A realm's name: trimmed, 1 to 64 characters (code points), no control or bidi characters. */
export const realmNameSchema = z
  .string({ error: REALM_NAME_RULES.length })
  .transform((name) => name.normalize('NFC').trim())
  .refine((name) => [...name].length >= 1 && [...name].length <= REALM_NAME_MAX, { error: REALM_NAME_RULES.length })
  .refine((name) => !FORBIDDEN.test(name), { error: REALM_NAME_RULES.characters })
  .refine((name) => name.toLowerCase() !== GLOBAL_SCOPE_NAME, { error: REALM_NAME_RULES.reserved });

export const realmNameInputs = {
  /** `name: null` (or an empty string) removes the realm's name: it shows by its id again. */
  nameRealm: z.strictObject({
    realmId: realmIdSchema,
    name: z.union([z.literal('').transform(() => null), z.null(), realmNameSchema], { error: `${REALM_NAME_RULES.length} of text, or null to remove the name` }),
  }),
};

/** Realm id → name, for the realms that have one. */
export type RealmNames = Record<string, string>;

/** What `vault.realms` and `vault.nameRealm` tell the window about names. */
export interface RealmNamesView {
  names: RealmNames;
  /** False when the token cannot reach the global scope, where names are kept: they cannot be read or changed then. */
  namesWritable: boolean;
}

/** A name another realm already has (case and accents aside): names must tell realms apart. */
export function nameTakenBy(names: RealmNames, realmId: string, name: string): string | undefined {
  const wanted = name.toLocaleLowerCase();
  return Object.entries(names).find(([id, other]) => id !== realmId && other.toLocaleLowerCase() === wanted)?.[0];
}

/** How a scope reads in sentences and lists: "Global", the realm's name, or "Realm <id>" when unnamed. */
export function scopeLabel(realmId: string, names: RealmNames): string {
  if (realmId === ALL_SCOPES) return 'All scopes';
  if (realmId === '') return 'Global';
  return names[realmId] ?? `Realm ${realmId}`;
}

/** What the user types to delete everything in a scope: its name, or, for an unnamed realm, its id ("global" for the global scope). */
export function confirmationName(realmId: string, names: RealmNames): string {
  if (realmId === '') return GLOBAL_SCOPE_NAME;
  return names[realmId] ?? realmId;
}

/** Every realm id in a text (a message from main) replaced by the realm's name, in quotes where it stood alone. */
export function withRealmNames(text: string, names: RealmNames): string {
  return text.replace(/\b[0-9a-f]{24}\b/g, (id) => names[id] ?? id);
}
