import * as path from 'node:path';

export const PROJECT_DIR = path.join(__dirname, '..', '..');
export const ASL_DIR = path.join(PROJECT_DIR, 'asl');
export const LAMBDAS_DIR = path.join(PROJECT_DIR, 'lambdas');
