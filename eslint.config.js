// One linter (ESLint + typescript-eslint, type-aware) and one formatter (Prettier, run through `npm run lint`).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'decimal.js',
              message:
                'Import Decimal from src/money/decimal.ts: it carries the precision and rounding billops uses.',
            },
          ],
        },
      ],
    },
  },
  { files: ['src/money/decimal.ts'], rules: { 'no-restricted-imports': 'off' } },
  // Only src/config.ts reads the environment (ARCHITECTURE §9); everything else receives Config.
  {
    files: ['src/**', 'handlers/**', 'blocks/**', 'migrations/**'],
    ignores: ['src/config.ts', 'src/db/embedded-postgres.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message:
            'Read the environment in src/config.ts (and document it in .env.example); take Config here.',
        },
      ],
    },
  },
  { files: ['**/*.js', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: globals.node } },
  // The workspace page's browser modules: plain ES modules run by the browser as they are (no build step).
  {
    files: ['src/local/workspace-page/assets/**/*.js'],
    languageOptions: { sourceType: 'module', globals: globals.browser },
  },
  prettier,
);
