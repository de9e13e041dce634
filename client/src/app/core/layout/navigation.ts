/** One entry of the sidenav. `adminOnly` entries are hidden from other users (their routes are guarded too). */
export interface NavItem {
  path: string;
  label: string;
  icon: string;
  adminOnly?: boolean;
}

export interface NavSection {
  title: string;
  items: NavItem[];
}

export const NAVIGATION: NavSection[] = [
  {
    title: 'Create',
    items: [
      { path: '/music', label: 'Music', icon: 'music_note' },
      { path: '/tutor', label: 'Tutor', icon: 'school' },
      { path: '/ensemble', label: 'Ensemble', icon: 'groups' },
      { path: '/multimodal', label: 'Multimodal', icon: 'photo_library' },
    ],
  },
  {
    title: 'Operate',
    items: [
      { path: '/logs', label: 'Logs', icon: 'receipt_long', adminOnly: true },
      { path: '/aiops', label: 'AIOps', icon: 'insights', adminOnly: true },
      { path: '/system', label: 'System', icon: 'monitor_heart' },
    ],
  },
];
