import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type * as Esbuild from 'esbuild';
import { runDir } from './run-dir';

/**
 * esbuild as the tests' code sees it (jest maps `esbuild` here): the same, but a bundle built
 * once in the test run is not built again by the next test file that synthesizes a stack — each
 * file has its own modules, so lib/core/lambda-bundle.ts's own cache starts empty in each. A build is
 * looked up by esbuild's version and the build's options, and used only while every file it read
 * holds what it held then; what esbuild returns is the very bytes it returned then.
 */
const esbuild: typeof Esbuild = require(path.dirname(require.resolve('esbuild/package.json')));

interface CachedBuild {
  /** Each file the build read (esbuild's metafile), with the SHA-256 of what it held. */
  readonly inputs: readonly (readonly [string, string])[];
  readonly outputs: readonly { readonly path: string; readonly contents: string }[];
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const contentOf = (file: string) => (existsSync(file) ? sha256(readFileSync(file)) : 'missing');

function outputFile(filePath: string, contents: Uint8Array): Esbuild.OutputFile {
  return { path: filePath, contents, hash: sha256(contents).slice(0, 16), get text() { return Buffer.from(contents).toString('utf8'); } };
}

function buildSync(options: Esbuild.BuildOptions): Esbuild.BuildResult {
  const dir = runDir();
  if (!dir || options.write !== false || options.metafile || options.plugins) return esbuild.buildSync(options);
  const cwd = options.absWorkingDir ?? process.cwd();
  const file = path.join(dir, `esbuild-${sha256(JSON.stringify([esbuild.version, cwd, options]))}.json`);
  if (existsSync(file)) {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as CachedBuild;
    if (cached.inputs.every(([input, content]) => contentOf(input) === content)) {
      return { errors: [], warnings: [], outputFiles: cached.outputs.map((output) => outputFile(output.path, Buffer.from(output.contents, 'base64'))), metafile: undefined, mangleCache: undefined };
    }
  }
  const result = esbuild.buildSync({ ...options, metafile: true });
  const inputs = Object.keys(result.metafile!.inputs)
    .filter((input) => input !== '<stdin>')
    .map((input) => path.resolve(cwd, input))
    .map((input) => [input, contentOf(input)] as const);
  const cached: CachedBuild = { inputs, outputs: (result.outputFiles ?? []).map((output) => ({ path: output.path, contents: Buffer.from(output.contents).toString('base64') })) };
  const staging = `${file}.${process.pid}`;
  writeFileSync(staging, JSON.stringify(cached));
  renameSync(staging, file);
  return { ...result, metafile: undefined };
}

module.exports = { ...esbuild, buildSync };
