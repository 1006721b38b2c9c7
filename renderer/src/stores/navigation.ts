import { create } from 'zustand';

export const VIEWS = ['vault', 'profile', 'activity', 'settings'] as const;
export type View = (typeof VIEWS)[number];

export const VIEW_LABELS: Record<View, string> = {
  vault: 'Vault',
  profile: 'Profile',
  activity: 'Activity',
  settings: 'Settings',
};

interface NavigationState {
  view: View;
  go(view: View): void;
}

export const useNavigation = create<NavigationState>()((set) => ({
  view: 'vault',
  go: (view) => set({ view }),
}));
