/** Persistence of email addresses, claims and verification codes (filled in with the email use cases). */
export interface EmailStore {
  readonly _placeholder?: never;
}
