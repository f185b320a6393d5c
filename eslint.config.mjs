// @ts-check
import eslint from '@eslint/js';
import nx from '@nx/eslint-plugin';
import angular from 'angular-eslint';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/tmp/**',
      '**/.nx/**',
      '**/.angular/**',
      'e2e/test-results/**',
      'e2e/playwright-report/**',
      'bench/results/**',
    ],
  },
  ...nx.configs['flat/base'],
  {
    files: ['**/*.ts'],
    extends: [eslint.configs.recommended, ...tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreVoidReturningFunctions: true }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              // feeds is framework-free: no Nest, no Angular, no app code.
              sourceTag: 'scope:feeds',
              onlyDependOnLibsWithTags: ['scope:feeds'],
              bannedExternalImports: ['@nestjs/*', '@angular/*', 'express'],
            },
            {
              sourceTag: 'scope:backend',
              onlyDependOnLibsWithTags: ['scope:feeds'],
              bannedExternalImports: ['@angular/*'],
            },
            {
              // The terminal talks to the backend only through the public API.
              sourceTag: 'scope:frontend',
              onlyDependOnLibsWithTags: ['scope:feeds'],
              bannedExternalImports: ['@nestjs/*', 'express', 'ws'],
            },
            { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:feeds'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts'],
    rules: {
      // Tests index into fixtures they just built; a non-null assertion there is a test failure, not a hazard.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The platform-neutral core of feeds runs in the browser too (the terminal imports it).
    files: [
      'feeds/src/decimal/**/*.ts',
      'feeds/src/model/**/*.ts',
      'feeds/src/book/**/*.ts',
      'feeds/src/candles/**/*.ts',
      'feeds/src/conflation/**/*.ts',
      'feeds/src/adapters/**/*.ts',
      'feeds/src/api/**/*.ts',
      'feeds/src/sdk/**/*.ts',
      'feeds/src/index.ts',
    ],
    ignores: ['**/*.spec.ts', '**/test-support/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^node:',
              message: 'feeds core is platform-neutral: Node APIs belong in feeds/src/node.ts modules.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'Buffer', 'process', 'require', '__dirname'],
    },
  },
  {
    files: ['backend/**/*.ts'],
    rules: {
      // Nest declares its option bags (NestApplicationOptions, ...) as classes but expects plain objects.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    files: ['frontend/**/*.ts'],
    extends: [...angular.configs.tsRecommended],
    processor: angular.processInlineTemplates,
    rules: {
      '@angular-eslint/component-selector': ['error', { type: 'element', prefix: 'tw', style: 'kebab-case' }],
      '@angular-eslint/directive-selector': ['error', { type: 'attribute', prefix: 'tw', style: 'camelCase' }],
    },
  },
  {
    files: ['frontend/**/*.html'],
    extends: [...angular.configs.templateRecommended, ...angular.configs.templateAccessibility],
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    extends: [eslint.configs.recommended, tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  prettier,
);
