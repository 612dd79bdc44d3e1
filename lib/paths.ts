import * as path from 'node:path';

const root = path.join(__dirname, '..');
export const ASL_DIR = path.join(root, 'asl');
export const LAMBDAS_DIR = path.join(root, 'lambdas');
