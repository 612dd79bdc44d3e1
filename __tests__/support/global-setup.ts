import { makeRunDir } from './run-dir';
import { startSharedProvider } from './shared-provider';

export default function globalSetup(): void {
  startSharedProvider(makeRunDir());
}
