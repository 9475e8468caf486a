import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

/**
 * Request schemas use zod/mini (`import * as z from "zod/mini"`, then only property accesses, which
 * esbuild tree-shakes) and import this module once for English messages. zod's classic API builds
 * its whole method surface when loaded (about 200 KB bundled, roughly 0.4x the SDK-only floor's
 * module load); mini keeps just the checks a function's schemas use (issue 8, SPEC 13.1). Messages
 * and issue shapes are the same: both share zod's core and its English locale.
 */
config(en());
