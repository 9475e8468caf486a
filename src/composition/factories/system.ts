import { systemClock } from "../../ports/clock.js";
import { uuidGenerator } from "../../ports/ids.js";
import type { Factory } from "./factory.js";

export const clock: Factory<"clock"> = () => systemClock;

export const ids: Factory<"ids"> = () => uuidGenerator;
