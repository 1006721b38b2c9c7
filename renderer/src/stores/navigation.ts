import { create } from 'zustand';

export const VIEWS = ['vault', 'profile', 'activity', 'users', 'settings'] as const;
export type View = (typeof VIEWS)[number];

export const VIEW_LABELS: Record<View, string> = {
  vault: 'Vault',
  profile: 'Profile',
  activity: 'Activity',
  users: 'Users',
  settings: 'Settings',
};

/**
 * The views this user can open: Users only for admins. Signed out, only signing in (in the Vault's
 * place) and Settings: the other views would each show the same sign-in screen.
 */
export const visibleViews = (isAdmin: boolean, signedIn = true): View[] =>
  signedIn ? VIEWS.filter((view) => view !== 'users' || isAdmin) : ['vault', 'settings'];

/** Each view keeps its shortcut whatever the role (Settings is always Ctrl/⌘+5). */
export const shortcutNumber = (view: View): number => VIEWS.indexOf(view) + 1;

interface NavigationState {
  view: View;
  go(view: View): void;
}

export const useNavigation = create<NavigationState>()((set) => ({
  view: 'vault',
  go: (view) => set({ view }),
}));
