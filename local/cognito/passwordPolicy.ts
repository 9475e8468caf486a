import type { PasswordPolicyType } from "@aws-sdk/client-cognito-identity-provider";

/** The special characters Cognito counts as symbols (its documented set, space included). */
const SYMBOLS = new Set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ".split(""));

/**
 * Cognito's check of a new password against the pool's policy: the first rule broken, in
 * Cognito's order and wording, or null when the password conforms.
 */
export function passwordPolicyViolation(password: string, policy: PasswordPolicyType): string | null {
  const chars = [...password];
  const broken = (reason: string) => `Password did not conform with policy: ${reason}`;
  if (chars.length < (policy.MinimumLength ?? 8)) return broken("Password not long enough");
  if (policy.RequireLowercase && !chars.some((c) => /\p{Ll}/u.test(c))) return broken("Password must have lowercase characters");
  if (policy.RequireUppercase && !chars.some((c) => /\p{Lu}/u.test(c))) return broken("Password must have uppercase characters");
  if (policy.RequireNumbers && !chars.some((c) => /[0-9]/.test(c))) return broken("Password must have numeric characters");
  if (policy.RequireSymbols && !chars.some((c) => SYMBOLS.has(c))) return broken("Password must have symbol characters");
  return null;
}
