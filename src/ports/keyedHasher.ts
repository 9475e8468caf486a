/**
 * A keyed one-way digest (HMAC-SHA256) under a secret kept outside the table. The service stores
 * only digests of short secrets it hands out (verification codes now, link tokens later): without
 * the key, a table export, backup or stream reader cannot test guesses against them, and six
 * digits are otherwise recovered in milliseconds.
 */
export interface KeyedHasher {
  /**
   * Hex digest of `value`. Callers start `value` with a purpose label ("verification-code:…"), so
   * one key serves several uses without a digest of one ever standing for another.
   */
  digest(value: string): Promise<string>;
}
