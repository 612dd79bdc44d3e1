/**
 * RDS identifier rule shared by DB instances (max 63) and snapshots (max 255): letters, digits
 * and hyphens, first a letter, no two hyphens in a row, no trailing hyphen.
 */
export const RDS_IDENTIFIER_RULE = /^[A-Za-z](?!.*--)[A-Za-z0-9-]*(?<!-)$/;

export function isRdsIdentifier(value: string, maxLength: number): boolean {
  return value.length >= 1 && value.length <= maxLength && RDS_IDENTIFIER_RULE.test(value);
}
