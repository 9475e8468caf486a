import { randomUUID } from "node:crypto";

/** Identifier source for email ids and event ids. */
export interface IdGenerator {
  newId(): string;
}

export const uuidGenerator: IdGenerator = { newId: () => randomUUID() };
