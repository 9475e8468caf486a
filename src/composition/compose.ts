import { configFromEnv } from "./config.js";
import type { Factory } from "./factories/factory.js";
import type { ServiceGraph } from "./services.js";

/** The factories an entry point needs, keyed by the graph member each one builds. */
export type Factories = { [K in Exclude<keyof ServiceGraph, "config">]?: Factory<K> };

/** What those factories build, plus the configuration every entry point reads. */
export type SliceOf<F extends Factories> = Pick<ServiceGraph, "config"> & { [K in keyof F & keyof ServiceGraph]: ServiceGraph[K] };

let installed: ServiceGraph | undefined;
/** Bumped by setServices: slices built from the environment before it are built again. */
let generation = 0;

/**
 * Installs a whole graph (`createServices`) for every entry point of this process: the local stack
 * and the tests run handlers on their own table, mailbox and queues. Returns the previous one;
 * `undefined` goes back to each entry point composing its own slice from the environment.
 */
export function setServices(services: ServiceGraph | undefined): ServiceGraph | undefined {
  const previous = installed;
  installed = services;
  generation += 1;
  return previous;
}

/** The graph setServices installed, if any. */
export function installedServices(): ServiceGraph | undefined {
  return installed;
}

/**
 * A Lambda entry point's share of the composition root: the members its factories build, from the
 * environment, once per container (on first use, so a module load creates no client). An
 * installed graph (setServices) takes precedence; it holds every member.
 *
 * The factories are named statically by the entry point (`composeFrom({ profiles, clock })`), so
 * its bundle holds those adapters and no other.
 */
export function composeFrom<F extends Factories>(factories: F): () => SliceOf<F> {
  let built: SliceOf<F> | undefined;
  let builtIn = -1;
  return () => {
    if (installed) return installed;
    if (!built || builtIn !== generation) {
      builtIn = generation;
      const config = configFromEnv();
      const members: Record<string, unknown> = { config };
      for (const [name, factory] of Object.entries(factories) as [string, Factory<keyof ServiceGraph>][]) {
        members[name] = factory(config);
      }
      built = members as SliceOf<F>;
    }
    return built;
  };
}
