// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Time and randomness come from the injected Clock and Random (STYLE.md); only the clock module may touch them. */
const clockOnly = {
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Use the injected Clock (clock.now()).' },
    {
      object: 'performance',
      property: 'now',
      message: 'Use the injected Clock (clock.monotonic()).',
    },
    { object: 'Math', property: 'random', message: 'Use the injected Random.' },
  ],
  'no-restricted-globals': [
    'error',
    ...['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval'].map(
      (name) => ({ name, message: 'Use the injected Clock (clock.setTimer / clock.sleep).' }),
    ),
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'Use the injected Clock (new Date(clock.now())).',
    },
  ],
};

/**
 * The OpenFeature SDK is an optional peer of @vigil/resilience: the toolkit uses its types only, so the package
 * loads without it; applications that use flags pass in an OpenFeature client (docs/flags.md).
 */
const openFeatureTypesOnly = {
  '@typescript-eslint/no-restricted-imports': [
    'error',
    ...['@openfeature/server-sdk', '@openfeature/core'].map((name) => ({
      name,
      allowTypeImports: true,
      message: 'Import OpenFeature types only (import type); the SDK is an optional peer.',
    })),
  ],
};

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', 'coverage/', 'data/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/no-extraneous-class': 'off',
      // Errors are propagated as they came (`unknown`), not re-wrapped.
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      '@typescript-eslint/unified-signatures': 'off',
      '@typescript-eslint/no-invalid-void-type': 'off',
    },
  },
  {
    files: ['packages/*/src/**/*.ts', 'packages/*/src/**/*.tsx'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: { ...clockOnly, 'no-console': 'error' },
  },
  {
    // The server depends on the SDK (it binds the flag provider); the toolkit takes only its types.
    files: ['packages/resilience/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: openFeatureTypesOnly,
  },
  {
    // The clock module is the one place allowed to read real time and randomness.
    files: [
      'packages/resilience/src/clock/system-*.ts',
      'packages/resilience/src/clock/settle.ts',
      'packages/web/src/browser/clock.ts',
    ],
    rules: {
      'no-restricted-properties': 'off',
      'no-restricted-globals': 'off',
      'no-restricted-syntax': 'off',
    },
  },
  {
    files: [
      '**/*.test.ts',
      '**/*.test.tsx',
      '**/*.contract.ts',
      '**/test/**/*.ts',
      'bench/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
  prettier,
);
