import type { Services } from "../ports/services.js";
import { InvalidLinkError } from "../domain/errors.js";
import { LINK_TOKEN_PATTERN, linkTokenDigest, type LinkPurpose, type LinkTokenRecord } from "../domain/linkToken.js";
import { epochSeconds } from "../ports/clock.js";

/**
 * The stored link a public route's body names, or InvalidLinkError: a body without a well-formed
 * token, an unknown, used or replaced token, one past its expiry (the table's TTL deletes late),
 * and one issued for the other route all get the same answer. The body is read here, not with a
 * schema: every malformed body is just another bad link.
 */
export async function findLink(
  services: Pick<Services, "links" | "keyedHasher" | "clock">,
  body: unknown,
  purpose: LinkPurpose,
): Promise<LinkTokenRecord> {
  const token = typeof body === "object" && body !== null ? (body as { token?: unknown }).token : undefined;
  if (typeof token !== "string" || !LINK_TOKEN_PATTERN.test(token)) throw new InvalidLinkError();
  const record = await services.links.find(await linkTokenDigest(services.keyedHasher, token));
  if (!record || record.purpose !== purpose || record.expiresAt <= epochSeconds(services.clock.now())) throw new InvalidLinkError();
  return record;
}
