import { AdminAddUserToGroupCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { localEndpoint } from "../src/adapters/localEndpoint.js";
import { ADMIN_GROUP } from "../src/domain/caller.js";
import type { LocalConfig } from "./gateway/localEndpoints.js";

/**
 * npm run admin -- EMAIL: puts a signed-up user of the running local stack into the `admins`
 * group, as an operator would with `aws cognito-idp admin-add-user-to-group` in AWS. The user's
 * next sign-in carries `cognito:groups`, which the /admin routes require.
 */
async function main() {
  const email = process.argv[2];
  const apiUrl = process.env.API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
  if (!email) {
    process.stderr.write("usage: npm run admin -- EMAIL\n");
    process.exit(2);
  }
  const response = await fetch(`${apiUrl}/_local/config`).catch(() => undefined);
  if (!response?.ok) {
    process.stderr.write(`No local stack answers at ${apiUrl}: start it with npm start.\n`);
    process.exit(1);
  }
  const config = (await response.json()) as LocalConfig;
  const cognito = new CognitoIdentityProviderClient({ region: config.region, ...localEndpoint(config.cognitoEndpoint) });
  await cognito.send(
    new AdminAddUserToGroupCommand({ UserPoolId: config.userPoolId, Username: email, GroupName: ADMIN_GROUP }),
  );
  process.stdout.write(`${email} is in the ${ADMIN_GROUP} group; sign in again to get a token with it.\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
