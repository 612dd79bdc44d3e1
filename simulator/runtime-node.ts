// What the simulator runs stands for the nodejs22.x runtime, where the AWS SDK has no notice about
// Node < 22 to give; on a Node 20 machine it would print one that is not about the workflows.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
