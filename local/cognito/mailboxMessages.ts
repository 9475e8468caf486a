import type { Messages } from "cognito-local/lib/services/messages.js";
import type { Mailer } from "../../src/ports/mailer.js";

type Source = Parameters<Messages["deliver"]>[1];

const SUBJECTS: Partial<Record<Source, string>> = {
  ForgotPassword: "Your password reset code",
  Authentication: "Your authentication code",
};

/**
 * cognito-local's message service, delivering through a mailer instead of the console: the local
 * stack gives it the SESv2 adapter pointed at the local SES server, so the sign-up confirmation
 * code lands in the same mailbox as every other code the service sends.
 */
export function mailboxMessages(mailer: Mailer): Messages {
  return {
    async deliver(_ctx, source, _clientId, _userPoolId, user, code, _metadata, delivery) {
      if (delivery.DeliveryMedium !== "EMAIL") return;
      // A change kept pending until verified is confirmed from the new address, where Cognito
      // sends its code; cognito-local would send it to the current one.
      const pending = source === "UpdateUserAttribute" ? user.UnverifiedAttributeChanges?.find((a) => a.Name === "email")?.Value : undefined;
      await mailer.send({
        to: pending ?? delivery.Destination,
        subject: SUBJECTS[source] ?? "Your verification code",
        text: `Your verification code is ${code}.`,
        code,
      });
    },
  };
}
