/**
 * Which code a call ran: the first 12 hex digits of the SHA-256 of the function's zip, set by its
 * construct at synth (the same digits name the zip's asset directory under cdktf.out). A running
 * execution calls whatever code was deployed last, so a log line or an error naming this says
 * which deploy a call ran.
 */
export const CODE_VERSION_VARIABLE = 'CODE_VERSION';
export const CODE_VERSION_DIGITS = 12;

/** This function's code version, or "unknown" outside a deployed function (a test, a local run of unbundled code). */
export function codeVersion(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env[CODE_VERSION_VARIABLE] || 'unknown';
}
