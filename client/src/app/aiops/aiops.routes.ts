import { Routes } from '@angular/router';

const AIOPS_ROUTES: Routes = [{ path: '', loadComponent: () => import('./aiops.page').then((m) => m.AiopsPage) }];

export default AIOPS_ROUTES;
