import { removeRunDir } from './run-dir';
import { stopSharedProvider } from './shared-provider';

export default async function globalTeardown(): Promise<void> {
  await stopSharedProvider();
  removeRunDir();
}
