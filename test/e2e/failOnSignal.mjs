// Preloaded (NODE_OPTIONS=--import) into a stack the shutdown test spawns: SIGUSR2 makes the stack
// process throw from an event handler, an uncaught exception as a bug would cause one.
import process from "node:process";

process.on("SIGUSR2", () => {
  throw new Error("failure injected by the e2e test");
});
