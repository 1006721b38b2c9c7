import type { AreaHandlers } from '../dispatch.js';
import type { AccountsService } from './accounts-service.js';

export function accountsHandlers(accounts: AccountsService): AreaHandlers<'accounts'> {
  return {
    'accounts.list': () => accounts.state(),
    'accounts.signInWithToken': (input) => accounts.signInWithToken(input),
    'accounts.signInWithPassword': (input) => accounts.signInWithPassword(input),
    'accounts.verifyTwoFactor': (input) => accounts.verifyTwoFactor(input),
    'accounts.switch': ({ id }) => accounts.switchTo(id),
    'accounts.signOut': ({ id }) => accounts.signOut(id),
  };
}
