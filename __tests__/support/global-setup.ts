import { startSharedProvider } from './shared-provider';

export default startSharedProvider;
