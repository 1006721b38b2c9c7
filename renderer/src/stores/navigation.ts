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

/** The views this user can open: Users only for admins. */
export const visibleViews = (isAdmin: boolean): View[] => VIEWS.filter((view) => view !== 'users' || isAdmin);

interface NavigationState {
  view: View;
  go(view: View): void;
}

export const useNavigation = create<NavigationState>()((set) => ({
  view: 'vault',
  go: (view) => set({ view }),
}));
