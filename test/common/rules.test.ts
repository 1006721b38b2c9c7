import { describe, expect, it } from 'vitest';
import {
  activityQuerySchema,
  aliasSchema,
  jsonByteLength,
  keyNameSchema,
  metadataSchema,
  passwordClasses,
  passwordSchema,
  publicKeySchema,
  realmIdSchema,
  regionSchema,
  userUpdateSchema,
} from '../../common/rules.js';
import { invalidInput } from '../../common/validation.js';

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) => schema.safeParse(value).success;

describe('API rules', () => {
  it.each([
    ['', false],
    ['a', true],
    ['x'.repeat(100), true],
    ['x'.repeat(101), false],
  ])('alias %j → %s', (alias, expected) => expect(ok(aliasSchema, alias)).toBe(expected));

  it.each([
    ['a1b2c3d4e5f6789012345678901234567890abcdefabcdefabcdefabcdef1234', true],
    ['A1B2C3D4E5F6789012345678901234567890ABCDEFABCDEFABCDEFABCDEF1234', true],
    ['a1b2', false],
    ['g'.repeat(64), false],
    ['a'.repeat(65), false],
  ])('public key %s → %s', (key, expected) => expect(ok(publicKeySchema, key)).toBe(expected));

  it.each([
    ['Abcdefgh1234', true, 3],
    ['abcdefgh1234!', true, 3],
    ['abcdefghijkl', false, 1],
    ['ABCDEFGH1234', false, 2],
    ['Ab1!', false, 4],
    ['Aa1!'.repeat(33), false, 4],
  ])('password %s → %s (%i classes)', (password, expected, classes) => {
    expect(passwordClasses(password)).toBe(classes);
    expect(ok(passwordSchema, password)).toBe(expected);
  });

  it.each([
    ['us-east-1', true],
    ['eu', true],
    ['US-EAST', false],
    ['us_east', false],
    ['a'.repeat(50), true],
    ['a'.repeat(51), false],
  ])('region %s → %s', (region, expected) => expect(ok(regionSchema, region)).toBe(expected));

  it.each([
    ['my-encrypted-notes', true],
    ['a.b_c-D9', true],
    ['', false],
    ['has space', false],
    ['slash/name', false],
    ['x'.repeat(255), true],
    ['x'.repeat(256), false],
  ])('key name %j → %s', (name, expected) => expect(ok(keyNameSchema, name)).toBe(expected));

  it('lower-cases realm ids and refuses anything but 24 hex', () => {
    expect(realmIdSchema.parse('507F1F77BCF86CD799439011')).toBe('507f1f77bcf86cd799439011');
    expect(ok(realmIdSchema, '507f1f77bcf86cd79943901')).toBe(false);
  });

  it('limits metadata to a JSON object of at most 256 KB', () => {
    expect(ok(metadataSchema, { filename: 'a.txt' })).toBe(true);
    expect(ok(metadataSchema, ['a'])).toBe(false);
    expect(ok(metadataSchema, { big: 'x'.repeat(256 * 1024) })).toBe(false);
    expect(jsonByteLength({ a: 'é' })).toBe(10);
  });

  it('needs the current password with a new one, and names each bad field', () => {
    const result = userUpdateSchema.safeParse({ password: 'Abcdefgh1234' });
    expect(result.success).toBe(false);
    expect(invalidInput(result.error!.issues).fields).toEqual({ current_password: 'needs your current password' });
    const many = userUpdateSchema.safeParse({ alias: '', public_key: 'zz', is_admin: 'yes' });
    expect(Object.keys(invalidInput(many.error!.issues).fields!).sort()).toEqual(['alias', 'is_admin', 'public_key']);
  });

  it('checks every activity filter', () => {
    expect(ok(activityQuerySchema, { page: 1, limit: 100, errors_only: 'true', min_status: 400, max_status: 599, method: 'PATCH', start_date: '2026-11-01', end_date: '2026-11-26T10:00:00Z' })).toBe(true);
    for (const bad of [{ page: 0 }, { page: 10002 }, { limit: 101 }, { limit: 0 }, { errors_only: 'yes' }, { min_status: 99 }, { max_status: 600 }, { method: 'HEAD' }, { realm_id: 'abc' }, { start_date: 'yesterday' }, { start_date: '2026-13-45' }]) {
      expect(ok(activityQuerySchema, bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
