import { defineTrigger } from "../shared/trigger-definition";

export const paymentTriggerDefinition = defineTrigger({
  kind: "payment_trigger",
  title: "Payment event",
  description: "Starts the flow on a signed payment-provider webhook (Stripe-style signatures, event type filter).",
  icon: "CreditCard",
  summary: "When a payment event arrives",
  sampleRequest: { json: { id: "evt_test_1", type: "checkout.session.completed", data: { object: { amount_total: 4900, customer_email: "ada@example.com" } } } },
});
