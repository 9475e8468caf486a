import { createKeyedHasher } from "../../adapters/secrets/createKeyedHasher.js";
import type { Factory } from "./factory.js";

/** Verification-code digests; the key comes from SSM in AWS (read on the first digest). */
export const keyedHasher: Factory<"keyedHasher"> = (config) => createKeyedHasher(config);
