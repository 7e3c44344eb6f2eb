// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', '*.js', '*.mjs', 'scripts/*.mjs', 'bench/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // Imports point one way (ARCHITECTURE.md §8): machines ← config ← services ← workers ← composition
  // ← the two main.ts entry points; inside services, only the HTTP layer knows HTTP.
  {
    files: ['config/**/*.ts'],
    rules: {
      // Types may name a record of the store (e.g. talk kinds); no code of services runs in config.
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{ regex: '^(\\.\\./)+(services|workers|composition)(/|$)', message: 'config/ may not import services/, workers/ or composition/', allowTypeImports: true }],
      }],
    },
  },
  {
    files: ['services/**/*.ts'],
    ignores: ['services/main.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^(\\.\\./)+(workers|composition)(/|$)', message: 'services/ may not import workers/ or composition/ (only main.ts wires them)' },
          { regex: '^(\\./|(\\.\\./)+)http(/|$)', message: 'only services/http/ knows HTTP: move the schema or helper into its capability folder or services/' },
        ],
      }],
    },
  },
  {
    files: ['services/http/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^(\\.\\./)+(workers|composition)(/|$)', message: 'services/ may not import workers/ or composition/ (only main.ts wires them)' }],
      }],
    },
  },
  {
    files: ['workers/**/*.ts'],
    ignores: ['workers/main.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^(\\.\\./)+composition(/|$)', message: 'workers/ may not import composition/ (only main.ts wires them)' }],
      }],
    },
  },
  {
    // Machines are pure: like Temporal workflows, they may import only xstate, zod and each other.
    files: ['machines/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^(?!xstate$|zod$|\\.{1,2}/).*', message: 'machines/ may import only xstate, zod and relative modules' }],
      }],
    },
  },
);
