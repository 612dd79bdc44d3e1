import { Testing } from 'cdktf';

// The handlers run on nodejs22.x; the tests load the SDK on the development machine's Node,
// where SDK releases from 2027 on warn about Node < 22 once per test file.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

Testing.setupJest();
