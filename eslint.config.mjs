// One lint configuration for the monorepo: type-aware typescript-eslint on server and client, angular-eslint with
// its template accessibility rules, the architecture's import boundaries, and Prettier (run by `npm run lint`).
import js from '@eslint/js';
import angular from 'angular-eslint';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import architecture from './scripts/eslint/architecture.mjs';

const typeAwareRules = {
  '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
  '@typescript-eslint/no-misused-promises': 'error',
  '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
  'architecture/boundaries': 'error',
};

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', 'client/src/app/api/', 'data/', '.angular/', 'coverage/', 'out-tsc/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    files: ['server/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    plugins: { architecture },
    languageOptions: { parserOptions: { project: ['server/tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules: typeAwareRules,
  },
  {
    files: ['client/src/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked, ...angular.configs.tsRecommended],
    plugins: { architecture },
    processor: angular.processInlineTemplates,
    languageOptions: { parserOptions: { project: ['client/tsconfig.spec.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      ...typeAwareRules,
      '@angular-eslint/component-selector': ['error', { type: 'element', prefix: 'xy', style: 'kebab-case' }],
      '@angular-eslint/directive-selector': ['error', { type: 'attribute', prefix: 'xy', style: 'camelCase' }],
    },
  },
  {
    files: ['client/src/**/*.html'],
    extends: [...angular.configs.templateRecommended, ...angular.configs.templateAccessibility],
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The browser journey runs in Node, but the callbacks it hands to page.evaluate/waitForFunction run in Chromium.
    files: ['client/e2e/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // AudioWorklet processors the client serves as static files run in the browser's audio rendering thread.
    files: ['client/public/**/*worklet.js'],
    languageOptions: { globals: { ...globals.audioWorklet } },
  },
);
