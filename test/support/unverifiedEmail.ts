import { randomUUID } from "node:crypto";
import { putEmailClaim } from "../../src/adapters/dynamodb/emailClaimItems.js";
import { putEmail } from "../../src/adapters/dynamodb/emailItems.js";
import { adjustEmailCount } from "../../src/adapters/dynamodb/profileItems.js";
import { transactWrite } from "../../src/adapters/dynamodb/transact.js";
import { putVerificationCode } from "../../src/adapters/dynamodb/verificationItems.js";
import type { TestServices } from "./testServices.js";

/**
 * Gives a user an address they have added but not verified, written with the same named items
 * the add-email transaction uses (a pending code included). `releaseAt` (epoch seconds) in the past makes the claim expired.
 */
export async function addUnverifiedEmail(
  services: Pick<TestServices, "db" | "config">,
  userId: string,
  address: string,
  releaseAt: number,
): Promise<{ emailId: string }> {
  const table = services.config.tableName;
  const emailId = randomUUID();
  await transactWrite(services.db, [
    putEmail(table, userId, {
      emailId,
      email: address,
      isPrimary: false,
      isVerified: false,
      createdAt: new Date().toISOString(),
    }),
    putEmailClaim(table, address, { userId, emailId, verified: false, releaseAt }),
    putVerificationCode(table, userId, emailId, {
      codeHash: "0".repeat(64),
      expiresAt: Math.floor(Date.now() / 1000) + 900,
      createdAt: new Date().toISOString(),
    }),
    adjustEmailCount(table, userId, 1),
  ]);
  return { emailId };
}
