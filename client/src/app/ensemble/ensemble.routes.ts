import { Routes } from '@angular/router';

const ENSEMBLE_ROUTES: Routes = [
  { path: '', loadComponent: () => import('./ensemble.page').then((m) => m.EnsemblePage) },
  // A join link: /ensemble/room/K7MZ3Q
  { path: 'room/:code', loadComponent: () => import('./ensemble.page').then((m) => m.EnsemblePage) },
];

export default ENSEMBLE_ROUTES;
