import { Routes } from '@angular/router';

const LOGS_ROUTES: Routes = [{ path: '', loadComponent: () => import('./logs.page').then((m) => m.LogsPage) }];

export default LOGS_ROUTES;
