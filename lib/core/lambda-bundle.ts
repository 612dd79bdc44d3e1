import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { zipSync } from 'fflate';

export interface LambdaBundle {
  /** The zip Lambda runs: one `index.js`, fixed timestamp and mode, so equal code gives equal bytes. */
  readonly zip: Uint8Array;
  readonly sha256Hex: string;
  /** What Lambda reports as CodeSha256, and what `source_code_hash` must hold. */
  readonly sha256Base64: string;
}

/** A module whose export wraps the entry's `handler`: the bundle exports `<exportName>(handler)`. */
export interface HandlerWrapper {
  readonly module: string;
  readonly exportName: string;
}

export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleError';
  }
}

// A DOS timestamp has no zone: built from local parts, it encodes the same on every machine.
const ZIP_ENTRY_TIME = new Date(1980, 0, 1, 0, 0, 0);
const REGULAR_FILE_RW_R_R = 0o100644 * 0x10000;
const bundles = new Map<string, LambdaBundle>();

/**
 * @smithy/service-error-classification re-exports @smithy/core's retry submodule, whose index
 * builds the retry middleware at load: bundled through it, each zip would carry that middleware
 * (and node:crypto, node:stream) for three small predicates. The handlers get the predicates'
 * own file instead; should a later @smithy/core move it, the package is bundled whole as before.
 */
function errorClassificationAlias(): Record<string, string> {
  const fromClassification = createRequire(require.resolve('@smithy/service-error-classification'));
  const core = path.dirname(fromClassification.resolve('@smithy/core/package.json'));
  const predicates = path.join(core, 'dist-es', 'submodules', 'retry', 'service-error-classification', 'service-error-classification.js');
  return existsSync(predicates) ? { '@smithy/service-error-classification': predicates } : {};
}
const BUNDLE_ALIASES = errorClassificationAlias();

function wrapperSource(entry: string, wrapper: HandlerWrapper): string {
  return [
    `import { handler as wrapped } from ${JSON.stringify(entry)};`,
    // The whole module too, for what it may export beside its handler (a state version, a migration).
    `import * as wrappedModule from ${JSON.stringify(entry)};`,
    `import { ${wrapper.exportName} } from ${JSON.stringify(wrapper.module)};`,
    `export const handler = ${wrapper.exportName}(wrapped, wrappedModule);`,
  ].join('\n');
}

function build(entry: string, wrapper: HandlerWrapper | undefined): Uint8Array {
  try {
    const { outputFiles } = buildSync({
      ...(wrapper
        ? { stdin: { contents: wrapperSource(entry, wrapper), resolveDir: path.dirname(entry), sourcefile: 'wrapped-handler.ts', loader: 'ts' as const } }
        : { entryPoints: [entry] }),
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      mainFields: ['module', 'main'],
      alias: BUNDLE_ALIASES,
      minify: true,
      external: ['@aws-sdk/*'],
      legalComments: 'none',
      write: false,
      logLevel: 'silent',
    });
    return outputFiles[0].contents;
  } catch (error) {
    const reason = (error as { errors?: { text: string }[] }).errors?.[0]?.text ?? (error as Error).message;
    throw new BundleError(/No matching export .* for import "handler"/.test(reason) ? `${entry} exports no \`handler\`` : `cannot bundle ${entry}: ${reason}`);
  }
}

/**
 * Bundles one handler for the nodejs22.x runtime, optionally wrapped. The SDK stays external
 * because the runtime provides SDK v3; bundling it in makes zips 40x larger and cold starts no
 * faster. Packages resolve to their ES modules so what a handler does not use is left out.
 * Cached per entry and wrapper, so several stacks share one build.
 */
export function bundleHandler(entry: string, wrapper?: HandlerWrapper): LambdaBundle {
  const key = wrapper ? `${entry}|${wrapper.module}#${wrapper.exportName}` : entry;
  const cached = bundles.get(key);
  if (cached) return cached;
  const code = build(entry, wrapper);
  const zip = zipSync(
    { 'index.js': [code, { mtime: ZIP_ENTRY_TIME, os: 3, attrs: REGULAR_FILE_RW_R_R }] },
    { level: 9 },
  );
  const digest = createHash('sha256').update(zip).digest();
  const bundle = { zip, sha256Hex: digest.toString('hex'), sha256Base64: digest.toString('base64') };
  bundles.set(key, bundle);
  return bundle;
}
