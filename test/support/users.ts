import { randomUUID } from "node:crypto";
import type { Services } from "../../src/ports/services.js";
import { createUserFromSignUp } from "../../src/usecases/createUserFromSignUp.js";

/** A confirmed user, written by the same use case the PostConfirmation trigger runs. */
export async function signUpUser(
  services: Pick<Services, "profiles" | "config" | "clock" | "ids">,
  email = `user-${randomUUID()}@example.com`,
): Promise<{ userId: string; email: string }> {
  const userId = randomUUID();
  await createUserFromSignUp(services)({ userId, email, correlationId: `signup-${userId}` });
  return { userId, email: email.trim().toLowerCase() };
}
