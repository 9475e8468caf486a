import { createEventBridgePublisher } from "../../adapters/eventbridge/eventBridgePublisher.js";
import type { Factory } from "./factory.js";

export const eventPublisher: Factory<"eventPublisher"> = (config) => createEventBridgePublisher(config);
