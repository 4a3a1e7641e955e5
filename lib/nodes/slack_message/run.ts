// Server-only: posts to a Slack incoming webhook.
import type { NodeRunner } from "../node-runner";
import { sendOutbound } from "../shared/send-outbound";
import type { SlackMessageConfig } from "./definition";

export const slackMessageRunner: NodeRunner<SlackMessageConfig> = {
  async run(ctx) {
    const { url } = await ctx.getCredential(ctx.config.credentialId, ["slack_webhook"] as const);
    const payload: Record<string, string> = { text: String(ctx.config.text ?? "") };
    if (ctx.config.username) payload.username = String(ctx.config.username);
    if (ctx.config.iconEmoji) payload.icon_emoji = String(ctx.config.iconEmoji);
    const { response, body } = await sendOutbound(
      ctx,
      { method: "POST", url, headers: { "content-type": "application/json" }, body: JSON.stringify(payload), timeoutMs: 15_000 },
      { what: "Slack webhook", responseFormat: "text" },
    );
    return { output: { status: response.status, response: body, text: payload.text } };
  },
};
