import type { AreaHandlers } from '../dispatch.js';
import type { ProfileService } from './profile-service.js';
import type { TwoFactorService } from './two-factor-service.js';

// The signed-in user's profile, and (for admins) other users.

export function profileHandlers(profile: ProfileService, twoFactor: TwoFactorService): AreaHandlers<'profile'> {
  return {
    'profile.get': () => profile.get(),
    'profile.update': (change) => profile.update(change),
    'profile.changePassword': (input) => profile.changePassword(input),
    'profile.generateKeyPair': () => profile.generateKeyPair(),
    'profile.retrySetup': ({ region }) => profile.retrySetup(region),
    'profile.twoFactorStatus': () => twoFactor.status(),
    'profile.twoFactorSetup': (input) => twoFactor.setup(input),
    'profile.twoFactorEnable': (input) => twoFactor.enable(input),
    'profile.twoFactorDisable': (input) => twoFactor.disable(input),
    'profile.twoFactorRegenerateCodes': (input) => twoFactor.regenerateCodes(input),
    'users.get': ({ id }) => profile.getUser(id),
    'users.update': (input) => profile.updateUser(input),
  };
}
