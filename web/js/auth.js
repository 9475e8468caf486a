import { $, onSubmit, showMessage } from "./dom.js";

/**
 * Sign up, confirm and sign in: Cognito only, no API call. Each step pre-fills the next one's
 * address. `onPendingAddress` tells the mailbox which address to watch before anyone signs in.
 */
export function setupAuth({ cognito, onPendingAddress, onSignedIn }) {
  const signUpForm = $("#sign-up-form");
  const confirmForm = $("#confirm-form");
  const signInForm = $("#sign-in-form");
  const regionOf = (form) => form.querySelector(".message");

  onSubmit(signUpForm, regionOf(signUpForm), async (data) => {
    const email = String(data.get("email")).trim();
    const result = await cognito.signUp(email, String(data.get("password")));
    onPendingAddress(email);
    $("#confirm-email").value = email;
    $("#sign-in-email").value = email;
    const destination = result.CodeDeliveryDetails?.Destination ?? email;
    showMessage(regionOf(signUpForm), "success", `Account created. A confirmation code was sent to ${destination}.`);
    signUpForm.reset();
    $("#confirm-code").focus();
  });

  onSubmit(confirmForm, regionOf(confirmForm), async (data) => {
    const email = String(data.get("email")).trim();
    await cognito.confirmSignUp(email, String(data.get("code")).trim());
    $("#sign-in-email").value = email;
    showMessage(regionOf(confirmForm), "success", `${email} is confirmed. You can sign in now.`);
    confirmForm.reset();
    $("#sign-in-password").focus();
  });

  onSubmit(signInForm, regionOf(signInForm), async (data) => {
    const email = String(data.get("email")).trim();
    const result = await cognito.signIn(email, String(data.get("password")));
    signInForm.reset();
    await onSignedIn(result);
  });

  return {
    clearMessages() {
      for (const form of [signUpForm, confirmForm, signInForm]) showMessage(regionOf(form), "info", "");
    },
  };
}
