import { Routes } from '@angular/router';
import { AUTH_ROUTES } from './auth/auth.routes';
import { adminGuard, authGuard } from './core/auth/auth.guards';

const noticePage = () => import('./shared/notice-page/notice-page').then((m) => m.NoticePage);

export const routes: Routes = [
  ...AUTH_ROUTES,
  {
    path: '',
    canActivate: [authGuard],
    loadComponent: () => import('./core/layout/shell').then((m) => m.Shell),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'music' },
      { path: 'music', title: 'Music · Xiaoyu AI', loadChildren: () => import('./music/music.routes') },
      { path: 'tutor', title: 'Tutor · Xiaoyu AI', loadChildren: () => import('./tutor/tutor.routes') },
      { path: 'ensemble', title: 'Ensemble · Xiaoyu AI', loadChildren: () => import('./ensemble/ensemble.routes') },
      { path: 'multimodal', title: 'Multimodal · Xiaoyu AI', loadChildren: () => import('./multimodal/multimodal.routes') },
      {
        path: 'logs',
        title: 'Logs · Xiaoyu AI',
        canActivate: [adminGuard],
        loadChildren: () => import('./logs/logs.routes'),
      },
      {
        path: 'aiops',
        title: 'AIOps · Xiaoyu AI',
        canActivate: [adminGuard],
        loadChildren: () => import('./aiops/aiops.routes'),
      },
      { path: 'system', title: 'System · Xiaoyu AI', loadComponent: () => import('./system/system.page').then((m) => m.SystemPage) },
      {
        path: 'forbidden',
        title: 'Admins only · Xiaoyu AI',
        loadComponent: noticePage,
        data: { icon: 'lock', heading: 'Administrators only', message: 'This page is for platform administrators. Your account does not have that role.' },
      },
      {
        path: '**',
        title: 'Not found · Xiaoyu AI',
        loadComponent: noticePage,
        data: { icon: 'explore_off', heading: 'Page not found', message: 'There is no page at this address.' },
      },
    ],
  },
];
