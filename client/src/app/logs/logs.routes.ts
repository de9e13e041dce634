import { Routes } from '@angular/router';

/** Placeholder until the logs feature lands; the logs engineer replaces this file. */
const LOGS_ROUTES: Routes = [
  {
    path: '',
    loadComponent: () => import('../shared/coming-soon/coming-soon').then((m) => m.ComingSoon),
    data: {
      feature: 'Logs',
      summary: 'Search and follow the platform logs shipped to Elasticsearch.',
      icon: 'receipt_long',
    },
  },
];

export default LOGS_ROUTES;
