// Two-factor sign-in's operation names (zod-free: the preload imports this). Their schemas and
// result types are in `two-factor.ts`; `operations.ts` and `contract.ts` spread both in.

export const TWO_FACTOR_OPERATIONS = [
  'profile.twoFactorStatus',
  'profile.twoFactorSetup',
  'profile.twoFactorEnable',
  'profile.twoFactorDisable',
  'profile.twoFactorRegenerateCodes',
] as const;
