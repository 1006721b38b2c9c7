import { describe, expect, it } from 'vitest';
import { confirmationName, nameTakenBy, realmNameInputs, scopeLabel, withRealmNames } from '../../common/realm-names.js';

const A = '65a1f3c2b4d5e6f708192a3b';
const B = '65a1f3c2b4d5e6f708192a3c';

describe('realm names, shared by main and the window', () => {
  it('check a name: trimmed, 1 to 64 characters (not UTF-16 units), no control or direction characters, not “global”', () => {
    const parse = (name: unknown) => realmNameInputs.nameRealm.safeParse({ realmId: A, name });
    expect(parse('  Prod ')).toMatchObject({ success: true, data: { realmId: A, name: 'Prod' } });
    expect(parse('')).toMatchObject({ success: true, data: { name: null } });
    expect(parse(null)).toMatchObject({ success: true, data: { name: null } });
    expect(parse('🔑'.repeat(64)).success).toBe(true);
    const rule = (name: unknown) => {
      const result = parse(name);
      return result.success ? undefined : result.error.issues[0]?.message;
    };
    expect(rule('🔑'.repeat(65))).toBe('must be 1 to 64 characters');
    expect(rule('   ')).toBe('must be 1 to 64 characters');
    expect(rule('a\u0007b')).toBe('must not contain control or text-direction characters');
    expect(rule('a\u2067b')).toBe('must not contain control or text-direction characters');
    expect(rule('GLOBAL')).toMatch(/^must not be “global”/);
    expect(rule(3)).toMatch(/^must be 1 to 64 characters of text, or null/);
    expect(realmNameInputs.nameRealm.safeParse({ realmId: 'zz', name: 'x' }).success).toBe(false);
  });

  it('label scopes, ask for the right confirmation, and put names in messages', () => {
    const names = { [A]: 'Prod' };
    expect(scopeLabel('', names)).toBe('Global');
    expect(scopeLabel(A, names)).toBe('Prod');
    expect(scopeLabel(B, names)).toBe(`Realm ${B}`);
    expect(scopeLabel('*', names)).toBe('All scopes');
    expect(confirmationName('', names)).toBe('global');
    expect(confirmationName(A, names)).toBe('Prod');
    expect(confirmationName(B, names)).toBe(B);
    expect(withRealmNames(`The vault keyring in “${A}” had been deleted; “${B}” too.`, names)).toBe(`The vault keyring in “Prod” had been deleted; “${B}” too.`);
    expect(nameTakenBy(names, B, 'PROD')).toBe(A);
    expect(nameTakenBy(names, A, 'prod')).toBeUndefined();
  });
});
