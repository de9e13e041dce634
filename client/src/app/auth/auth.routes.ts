import { Routes } from '@angular/router';
import { guestGuard } from '../core/auth/auth.guards';

export const AUTH_ROUTES: Routes = [
  {
    path: 'login',
    title: 'Sign in · Xiaoyu AI',
    canActivate: [guestGuard],
    loadComponent: () => import('./login.page').then((m) => m.LoginPage),
  },
  {
    path: 'register',
    title: 'Create account · Xiaoyu AI',
    canActivate: [guestGuard],
    loadComponent: () => import('./register.page').then((m) => m.RegisterPage),
  },
];
