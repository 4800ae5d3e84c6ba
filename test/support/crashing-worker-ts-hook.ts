/**
 * Lets a plain `node` child process run the TypeScript sources, for tests
 * that must kill a worker process (test/support/crashing-worker.ts). Loaded
 * with `node --require` before anything else: Node itself strips the types
 * of this one file (so it uses only erasable syntax and no import/export,
 * which keeps it CommonJS), then hands every other .ts file to SWC with the
 * options jest.config.js uses (decorators and their metadata, which Node's
 * type stripping cannot do), and resolves extensionless relative imports to
 * .ts files as the compiled build would to .js.
 */
(() => {
  const { registerHooks } = require('node:module') as typeof import('node:module');
  const { readFileSync } = require('node:fs') as typeof import('node:fs');
  const { fileURLToPath } = require('node:url') as typeof import('node:url');
  const swc = require('@swc/core') as typeof import('@swc/core');

  const options = {
    jsc: {
      parser: { syntax: 'typescript' as const, decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023' as const,
    },
    module: { type: 'commonjs' as const },
    sourceMaps: 'inline' as const,
  };

  registerHooks({
    resolve(specifier, context, nextResolve) {
      try {
        return nextResolve(specifier, context);
      } catch (error) {
        if (!specifier.startsWith('.') || !context.parentURL?.endsWith('.ts')) throw error;
        for (const suffix of ['.ts', '/index.ts']) {
          try {
            return nextResolve(specifier + suffix, context);
          } catch {
            // Not this one; try the next form.
          }
        }
        throw error;
      }
    },
    load(url, context, nextLoad) {
      if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/')) return nextLoad(url, context);
      const filename = fileURLToPath(url);
      const { code } = swc.transformSync(readFileSync(filename, 'utf8'), { ...options, filename });
      return { format: 'commonjs', source: code, shortCircuit: true };
    },
  });
})();
