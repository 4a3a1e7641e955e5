// The template gallery: ready flows that work once their credentials are chosen. Client-safe.
import type { FlowGraph } from "../graph";

export interface FlowTemplate {
  id: string;
  name: string;
  description: string;
  /** Trigger kind, for the gallery icon. */
  trigger: string;
  graph: FlowGraph;
}

const at = (column: number, row = 0) => ({ x: column * 320, y: row * 140 });

export const FLOW_TEMPLATES: FlowTemplate[] = [
  {
    id: "form-to-crm-and-slack",
    name: "Form submission → CRM + Slack",
    description: "Create a lead in your CRM over HTTP for every website form submission, then tell the team in Slack.",
    trigger: "form_trigger",
    graph: {
      nodes: [
        { id: "form", kind: "form_trigger", name: "Website form", config: { note: "" }, position: at(0) },
        {
          id: "create_lead",
          kind: "http_request",
          name: "Create CRM lead",
          config: {
            method: "POST",
            url: "https://crm.example.com/api/leads",
            headers: [],
            query: [],
            bodyType: "json",
            jsonBody: { name: "{{ trigger.body.name }}", email: "{{ trigger.body.email }}", source: "website" },
          },
          position: at(1),
        },
        {
          id: "notify_slack",
          kind: "slack_message",
          name: "Notify sales in Slack",
          config: { credentialId: "", text: "New lead: {{ trigger.body.name }} <{{ trigger.body.email }}>", username: "", iconEmoji: "" },
          position: at(2),
        },
      ],
      edges: [
        { id: "form-out-create_lead", source: "form", sourcePort: "out", target: "create_lead" },
        { id: "create_lead-out-notify_slack", source: "create_lead", sourcePort: "out", target: "notify_slack" },
      ],
    },
  },
  {
    id: "payment-to-fulfilment-and-receipt",
    name: "Stripe payment → fulfilment + receipt",
    description: "When a Stripe checkout completes, send the order to your fulfilment webhook (signed, retried) and email the customer a receipt; if fulfilment still fails after its retries, tell the team in Slack.",
    trigger: "payment_trigger",
    graph: {
      nodes: [
        { id: "payment", kind: "payment_trigger", name: "Stripe checkout completed", config: { note: "checkout.session.completed" }, position: at(0) },
        {
          id: "fulfil_order",
          kind: "http_request",
          name: "Send to fulfilment",
          config: {
            method: "POST",
            url: "https://fulfilment.example.com/webhooks/orders",
            headers: [],
            query: [],
            bodyType: "json",
            jsonBody: {
              orderId: "{{ trigger.body.data.object.id }}",
              amount: "{{ trigger.body.data.object.amount_total }}",
              email: "{{ trigger.body.data.object.customer_details.email }}",
            },
            // Its error output leads to the Slack alert below.
            onError: "route",
          },
          position: at(1),
        },
        {
          id: "alert_fulfilment_failed",
          kind: "slack_message",
          name: "Alert: fulfilment failed",
          config: { credentialId: "", text: "Order {{ trigger.body.data.object.id }} could not be sent to fulfilment: {{ steps.fulfil_order.error.message }}", username: "", iconEmoji: "" },
          position: at(2, 1),
        },
        {
          id: "receipt_email",
          kind: "send_email",
          name: "Email the receipt",
          config: {
            credentialId: "",
            to: "{{ trigger.body.data.object.customer_details.email }}",
            cc: "",
            bcc: "",
            replyTo: "",
            subject: "Your receipt",
            text: "Thank you for your order {{ trigger.body.data.object.id }}. We received {{ trigger.body.data.object.amount_total / 100 }} {{ $uppercase(trigger.body.data.object.currency) }}.",
            html: "",
          },
          position: at(2),
        },
      ],
      edges: [
        { id: "payment-out-fulfil_order", source: "payment", sourcePort: "out", target: "fulfil_order" },
        { id: "fulfil_order-out-receipt_email", source: "fulfil_order", sourcePort: "out", target: "receipt_email" },
        { id: "fulfil_order-error-alert_fulfilment_failed", source: "fulfil_order", sourcePort: "error", target: "alert_fulfilment_failed" },
      ],
    },
  },
  {
    id: "cms-publish-to-social-and-slack",
    name: "CMS publish → social post + Slack",
    description: "When an article is published in your CMS, post it through your social-media API and announce it in Slack.",
    trigger: "content_trigger",
    graph: {
      nodes: [
        { id: "content", kind: "content_trigger", name: "Article published", config: { note: "" }, position: at(0) },
        {
          id: "social_post",
          kind: "http_request",
          name: "Post to social",
          config: {
            method: "POST",
            url: "https://social.example.com/api/posts",
            headers: [],
            query: [],
            bodyType: "json",
            jsonBody: { text: "New on the blog: {{ trigger.body.title }} {{ trigger.body.url }}" },
          },
          position: at(1),
        },
        {
          id: "announce_slack",
          kind: "slack_message",
          name: "Announce in Slack",
          config: { credentialId: "", text: "Published: *{{ trigger.body.title }}* {{ trigger.body.url }}", username: "", iconEmoji: ":newspaper:" },
          position: at(2),
        },
      ],
      edges: [
        { id: "content-out-social_post", source: "content", sourcePort: "out", target: "social_post" },
        { id: "social_post-out-announce_slack", source: "social_post", sourcePort: "out", target: "announce_slack" },
      ],
    },
  },
  {
    id: "webhook-transform-http",
    name: "Webhook → transform → HTTP with retries",
    description: "Reshape any incoming JSON and forward it to another API, retrying up to 6 times with backoff when it fails.",
    trigger: "webhook_trigger",
    graph: {
      nodes: [
        { id: "webhook", kind: "webhook_trigger", name: "Incoming webhook", config: { note: "" }, position: at(0) },
        {
          id: "reshape",
          kind: "transform",
          name: "Reshape payload",
          config: {
            mode: "fields",
            fields: [
              { path: "customer.email", value: "{{ trigger.body.email }}" },
              { path: "customer.name", value: "{{ trigger.body.name }}" },
              { path: "receivedAt", value: "{{ trigger.receivedAt }}" },
            ],
            expression: "",
          },
          position: at(1),
        },
        {
          id: "forward",
          kind: "http_request",
          name: "Forward to API",
          config: {
            method: "POST",
            url: "https://api.example.com/events",
            headers: [],
            query: [],
            bodyType: "json",
            jsonBody: "{{ steps.reshape }}",
            retry: { maxAttempts: 6, initialDelayMs: 2000, maxDelayMs: 300000, multiplier: 2 },
          },
          position: at(2),
        },
      ],
      edges: [
        { id: "webhook-out-reshape", source: "webhook", sourcePort: "out", target: "reshape" },
        { id: "reshape-out-forward", source: "reshape", sourcePort: "out", target: "forward" },
      ],
    },
  },
  {
    id: "order-lines-for-each",
    name: "Order webhook → one request per line item",
    description: "For every line of an incoming order, reserve stock over HTTP (one durable, retried step per line, two at a time), then post one Slack summary with every result.",
    trigger: "webhook_trigger",
    graph: {
      nodes: [
        { id: "order", kind: "webhook_trigger", name: "Order received", config: {}, position: at(0) },
        { id: "each_line", kind: "for_each", name: "Each order line", config: { items: "{{ trigger.body.lines }}", concurrency: 2, maxItems: 100 }, position: at(1) },
        {
          id: "reserve_stock",
          kind: "http_request",
          name: "Reserve stock",
          config: {
            method: "POST",
            url: "https://inventory.example.com/api/reservations",
            headers: [],
            query: [],
            bodyType: "json",
            jsonBody: { order: "{{ trigger.body.orderId }}", line: "{{ itemIndex }}", sku: "{{ item.sku }}", quantity: "{{ item.quantity }}" },
          },
          position: at(2, -1),
        },
        {
          id: "notify_slack",
          kind: "slack_message",
          name: "Summary in Slack",
          config: { credentialId: "", text: "Order {{ trigger.body.orderId }}: reserved {{ $count(steps.each_line) }} lines", username: "", iconEmoji: "" },
          position: at(2, 1),
        },
      ],
      edges: [
        { id: "order-out-each_line", source: "order", sourcePort: "out", target: "each_line" },
        { id: "each_line-item-reserve_stock", source: "each_line", sourcePort: "item", target: "reserve_stock" },
        { id: "each_line-done-notify_slack", source: "each_line", sourcePort: "done", target: "notify_slack" },
      ],
    },
  },
  {
    id: "webhook-code-respond",
    name: "Webhook → JavaScript → response",
    description: "Compute an order's total, discount and shipping tier in JavaScript (run in a sandbox) and answer the caller with the result.",
    trigger: "webhook_trigger",
    graph: {
      nodes: [
        { id: "webhook", kind: "webhook_trigger", name: "Order webhook", config: { note: "" }, position: at(0) },
        {
          id: "price_order",
          kind: "code",
          name: "Price the order",
          config: {
            source: `// trigger.body is the order the shop sent: { id, items: [{ sku, qty, price }], country }
const items = trigger.body.items ?? [];
const subtotal = items.reduce((sum, item) => sum + item.qty * item.price, 0);
const discount = subtotal >= 100 ? Math.round(subtotal * 0.1 * 100) / 100 : 0;
const shipping = trigger.body.country === "US" ? "domestic" : "international";
console.log(\`order \${trigger.body.id}: \${items.length} items, subtotal \${subtotal}\`);
return { orderId: trigger.body.id, subtotal, discount, total: subtotal - discount, shipping };
`,
          },
          position: at(1),
        },
        {
          id: "answer",
          kind: "respond",
          name: "Answer with the price",
          config: { status: 200, headers: [], body: "{{ steps.price_order }}", contentType: "application/json" },
          position: at(2),
        },
      ],
      edges: [
        { id: "webhook-out-price_order", source: "webhook", sourcePort: "out", target: "price_order" },
        { id: "price_order-out-answer", source: "price_order", sourcePort: "out", target: "answer" },
      ],
    },
  },
  {
    id: "schedule-daily-report",
    name: "Every weekday morning → report in Slack",
    description: "At 08:30 on weekdays (your time zone), fetch yesterday's numbers from your API and post a summary in Slack. Activate it and it runs on its own.",
    trigger: "schedule_trigger",
    graph: {
      nodes: [
        { id: "schedule", kind: "schedule_trigger", name: "Weekdays at 08:30", config: { cron: "30 8 * * 1-5", timezone: "Europe/London", note: "" }, position: at(0) },
        {
          id: "fetch_stats",
          kind: "http_request",
          name: "Fetch yesterday's numbers",
          config: {
            method: "GET",
            url: "https://api.example.com/stats/daily",
            headers: [],
            query: [{ name: "before", value: "{{ trigger.body.scheduledAt }}" }],
            bodyType: "none",
          },
          position: at(1),
        },
        {
          id: "post_report",
          kind: "slack_message",
          name: "Post the report in Slack",
          config: { credentialId: "", text: "Daily report: {{ steps.fetch_stats.body.signups }} sign-ups, {{ steps.fetch_stats.body.orders }} orders.", username: "", iconEmoji: ":bar_chart:" },
          position: at(2),
        },
      ],
      edges: [
        { id: "schedule-out-fetch_stats", source: "schedule", sourcePort: "out", target: "fetch_stats" },
        { id: "fetch_stats-out-post_report", source: "fetch_stats", sourcePort: "out", target: "post_report" },
      ],
    },
  },
  {
    id: "manual-onboard-customer",
    name: "Run by hand → onboard a customer",
    description: "Press Run, type the customer's details, and the flow creates their account over HTTP and emails them a welcome. Also callable as POST /api/v1/flows/:id/runs.",
    trigger: "manual_trigger",
    graph: {
      nodes: [
        {
          id: "manual",
          kind: "manual_trigger",
          name: "Customer details",
          config: { examplePayload: JSON.stringify({ email: "ada@example.com", name: "Ada Lovelace", plan: "pro" }, null, 2), note: "" },
          position: at(0),
        },
        {
          id: "create_account",
          kind: "http_request",
          name: "Create the account",
          config: {
            method: "POST",
            url: "https://api.example.com/accounts",
            headers: [],
            query: [],
            bodyType: "json",
            jsonBody: { email: "{{ trigger.body.email }}", name: "{{ trigger.body.name }}", plan: "{{ trigger.body.plan }}" },
          },
          position: at(1),
        },
        {
          id: "welcome_email",
          kind: "send_email",
          name: "Email a welcome",
          config: {
            credentialId: "",
            to: "{{ trigger.body.email }}",
            cc: "",
            bcc: "",
            replyTo: "",
            subject: "Welcome, {{ trigger.body.name }}",
            text: "Your {{ trigger.body.plan }} account is ready.",
            html: "",
          },
          position: at(2),
        },
      ],
      edges: [
        { id: "manual-out-create_account", source: "manual", sourcePort: "out", target: "create_account" },
        { id: "create_account-out-welcome_email", source: "create_account", sourcePort: "out", target: "welcome_email" },
      ],
    },
  },
  {
    id: "webhook-call-shared-flow",
    name: "Webhook → shared flow → reply",
    description: "Hand every signup to one shared flow (say, \"Enrich and score a lead\", kept and published once for every source), wait for its result and tell the team in Slack. Choose the flow to call after creating this one.",
    trigger: "webhook_trigger",
    graph: {
      nodes: [
        { id: "signup", kind: "webhook_trigger", name: "Signup webhook", config: { note: "" }, position: at(0) },
        {
          id: "score_lead",
          kind: "call_flow",
          name: "Enrich and score the lead",
          config: { flowId: "", input: { email: "{{ trigger.body.email }}", source: "signup" }, wait: true },
          position: at(1),
        },
        {
          id: "notify_slack",
          kind: "slack_message",
          name: "Tell sales",
          config: { credentialId: "", text: "New signup {{ trigger.body.email }} scored {{ steps.score_lead.result.score }}", username: "", iconEmoji: "" },
          position: at(2),
        },
      ],
      edges: [
        { id: "signup-out-score_lead", source: "signup", sourcePort: "out", target: "score_lead" },
        { id: "score_lead-out-notify_slack", source: "score_lead", sourcePort: "out", target: "notify_slack" },
      ],
    },
  },
];
