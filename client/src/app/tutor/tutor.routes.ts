import { Routes } from '@angular/router';

const TUTOR_ROUTES: Routes = [{ path: '', loadComponent: () => import('./tutor.page').then((m) => m.TutorPage) }];

export default TUTOR_ROUTES;
