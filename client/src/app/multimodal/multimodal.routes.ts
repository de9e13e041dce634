import { Routes } from '@angular/router';

const MULTIMODAL_ROUTES: Routes = [
  { path: '', loadComponent: () => import('./mood.page').then((m) => m.MoodPage) },
  { path: 'stories', title: 'Storyteller · Xiaoyu AI', loadComponent: () => import('./storyteller.page').then((m) => m.StorytellerPage) },
];

export default MULTIMODAL_ROUTES;
