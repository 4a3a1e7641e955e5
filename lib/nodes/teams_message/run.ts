// Server-only: posts a MessageCard to a Microsoft Teams incoming webhook.
import type { NodeRunner } from "../node-runner";
import { sendOutbound } from "../shared/send-outbound";
import type { TeamsMessageConfig } from "./definition";

export const teamsMessageRunner: NodeRunner<TeamsMessageConfig> = {
  async run(ctx) {
    const { url } = await ctx.getCredential(ctx.config.credentialId, ["teams_webhook"] as const);
    const text = String(ctx.config.text ?? "");
    const title = String(ctx.config.title ?? "");
    const card: Record<string, string> = { "@type": "MessageCard", "@context": "https://schema.org/extensions", summary: title || text.slice(0, 80), text };
    if (title) card.title = title;
    const { response, body } = await sendOutbound(
      ctx,
      { method: "POST", url, headers: { "content-type": "application/json" }, body: JSON.stringify(card), timeoutMs: 15_000 },
      { what: "Teams webhook", responseFormat: "text" },
    );
    return { output: { status: response.status, response: body, title, text } };
  },
};
