import en from "zod/v4/locales/en.js";
import * as z from "zod/mini";

/**
 * The zod the request schemas use: zod/mini, with English messages. zod's classic API builds its
 * whole method surface when loaded (about 200 KB bundled, roughly 0.4x the SDK-only floor's module
 * load); mini is tree-shaken down to the checks a function's schemas use (issue 8, SPEC 13.1).
 * Messages and issue shapes are the same: both share zod's core and its English locale.
 */
z.config(en());

export { z };
