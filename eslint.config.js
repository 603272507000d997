// Lint for src/, test/, bench/, scripts/ and bin/ (`npm run lint`, part of `npm test`): ESLint's and
// typescript-eslint's recommended rules, without type information so it stays fast. No formatting rules.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'render-out/', 'bench/work/', '.lab/', 'node_modules/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore marks what is unused on purpose: a parameter an interface requires, a key left out of a rest copy.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The fact registry holds facts of every argument and value type: FactDef<any, any> is its existential type.
    files: ['src/facts/**/*.ts', 'src/modules/types.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Tests write expected screen lines as they look (two spaces between columns) and strip ANSI escapes (\x1b).
    files: ['test/**/*.ts'],
    rules: { 'no-regex-spaces': 'off', 'no-control-regex': 'off' },
  },
  {
    // bin/ is CommonJS (bin/package.json): the launcher starts faster without node's ES module loader.
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', __filename: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The JavaScript files (bench, scripts, bin) run on Node.
    files: ['**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', performance: 'readonly',
        setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly',
      },
    },
  },
)
