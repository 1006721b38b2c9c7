import type { AreaHandlers } from '../dispatch.js';
import type { ProfileService } from './profile-service.js';

// The signed-in user's profile, and (for admins) other users.

export function profileHandlers(profile: ProfileService): AreaHandlers<'profile'> {
  return {
    'profile.get': () => profile.get(),
    'profile.update': (change) => profile.update(change),
    'profile.changePassword': (input) => profile.changePassword(input),
    'profile.generateKeyPair': () => profile.generateKeyPair(),
    'profile.retrySetup': ({ region }) => profile.retrySetup(region),
    'users.get': ({ id }) => profile.getUser(id),
    'users.update': (input) => profile.updateUser(input),
  };
}
