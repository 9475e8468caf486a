import { createCognitoUserDirectory } from "../../adapters/cognito/cognitoUserDirectory.js";
import type { Factory } from "./factory.js";

export const userDirectory: Factory<"userDirectory"> = (config) => createCognitoUserDirectory(config);
