import { defineTrigger } from "../shared/trigger-definition";

export const paymentTriggerDefinition = defineTrigger(
  "payment_trigger",
  "Payment event",
  "Starts the flow on a signed payment-provider webhook (Stripe-style signatures, event type filter).",
  "CreditCard",
  "When a payment event arrives",
);
