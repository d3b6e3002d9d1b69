// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // bench/.scratch and bench/results are git-ignored: notes and output of benchmark runs.
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'data/', 'bench/.scratch/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The domain never touches Discord: only src/discord/ and the delivery sender may.
    files: ['src/**/*.ts'],
    ignores: ['src/discord/**', 'src/delivery/sender.ts', 'src/main.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'discord.js', message: 'Only src/discord/ and the delivery sender talk to Discord.' }] },
      ],
    },
  },
  {
    // Command definitions are plain data.
    files: ['commands/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['../src/*', '../../src/*'], message: 'commands/ is pure data: no imports from src/.' }],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['eslint.config.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
