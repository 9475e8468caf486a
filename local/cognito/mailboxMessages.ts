import type { Messages } from "cognito-local/lib/services/messages.js";
import type { Mailer } from "../../src/ports/mailer.js";

type Source = Parameters<Messages["deliver"]>[1];

const SUBJECTS: Partial<Record<Source, string>> = {
  ForgotPassword: "Your password reset code",
  Authentication: "Your authentication code",
};

/**
 * cognito-local's message service, delivering into the local mailbox instead of the console: the
 * sign-up confirmation code lands where the web page and the tests read every other code.
 */
export function mailboxMessages(mailer: Mailer): Messages {
  return {
    async deliver(_ctx, source, _clientId, _userPoolId, _user, code, _metadata, delivery) {
      if (delivery.DeliveryMedium !== "EMAIL") return;
      await mailer.send({
        to: delivery.Destination,
        subject: SUBJECTS[source] ?? "Your verification code",
        text: `Your verification code is ${code}.`,
        code,
      });
    },
  };
}
