import { memoryMailbox } from "../../adapters/mailer/memoryMailbox.js";
import { createSesMailer } from "../../adapters/mailer/sesMailer.js";
import type { Factory } from "./factory.js";

export const mailer: Factory<"mailer"> = (config) => (config.mailer === "ses" ? createSesMailer(config) : memoryMailbox);
