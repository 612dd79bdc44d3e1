import * as path from 'node:path';

export const PROJECT_DIR = path.join(__dirname, '..', '..');
export const ASL_DIR = path.join(PROJECT_DIR, 'asl');
export const LAMBDAS_DIR = path.join(PROJECT_DIR, 'lambdas');

/** A file's path from the project root with `/` separators: the same on every machine and checkout, for what synth writes. */
export const projectRelative = (file: string) => path.relative(PROJECT_DIR, file).split(path.sep).join('/');
