import { Routes } from '@angular/router';

const MUSIC_ROUTES: Routes = [{ path: '', loadComponent: () => import('./music.page').then((m) => m.MusicPage) }];

export default MUSIC_ROUTES;
