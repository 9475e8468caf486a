import type { AppConfig } from "../config.js";
import type { ServiceGraph } from "../services.js";

/**
 * Builds one member of the graph (`ServiceGraph`) from the configuration.
 *
 * Each module of this folder holds the factories of one adapter and imports only that adapter. The
 * whole graph (`createServices`) calls all of them; a Lambda entry point imports just the
 * factories of the members it uses (`composeFrom({ profiles, clock })`), so esbuild bundles only
 * those adapters and the SDK clients and schemas they reach: a bundle never holds a client its
 * function does not call. Keep it that way: one adapter per module here, no module-level work
 * (test/infra/bundles.test.ts checks every function's bundle).
 */
export type Factory<K extends keyof ServiceGraph> = (config: AppConfig) => ServiceGraph[K];
