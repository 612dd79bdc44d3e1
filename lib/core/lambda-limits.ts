/**
 * Lambda's limits on a function, defined once: configuration checks a setting against them
 * before anything is built, and NodejsFunction checks a function added in code.
 */
export const LAMBDA_TIMEOUT_SECONDS = { min: 1, max: 900 } as const;
export const LAMBDA_MEMORY_MB = { min: 128, max: 10_240 } as const;
