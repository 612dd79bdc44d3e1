import { stopSharedProvider } from './shared-provider';

export default stopSharedProvider;
