import { Routes } from '@angular/router';

/** Placeholder until the music feature lands; the music engineer replaces this file. */
const MUSIC_ROUTES: Routes = [
  {
    path: '',
    loadComponent: () => import('../shared/coming-soon/coming-soon').then((m) => m.ComingSoon),
    data: {
      feature: 'Music',
      summary: 'Compose melodies and chord progressions from a mood, key and tempo.',
      icon: 'music_note',
    },
  },
];

export default MUSIC_ROUTES;
