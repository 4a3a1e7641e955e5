// Server-only: posts to a Discord channel webhook (?wait=true so Discord confirms the message).
import { NodeError, type NodeRunner } from "../node-runner";
import { sendOutbound } from "../shared/send-outbound";
import type { DiscordMessageConfig } from "./definition";

export const discordMessageRunner: NodeRunner<DiscordMessageConfig> = {
  async run(ctx) {
    const { url } = await ctx.getCredential(ctx.config.credentialId, ["discord_webhook"] as const);
    const content = String(ctx.config.content ?? "");
    if (content.length > 2000) throw new NodeError(`Discord messages are limited to 2000 characters; this one has ${content.length}`, { retryable: false });
    const payload: Record<string, string> = { content };
    if (ctx.config.username) payload.username = String(ctx.config.username);
    const target = new URL(url);
    target.searchParams.set("wait", "true");
    const { response, body } = await sendOutbound(
      ctx,
      { method: "POST", url: target.toString(), headers: { "content-type": "application/json" }, body: JSON.stringify(payload), timeoutMs: 15_000 },
      { what: "Discord webhook" },
    );
    const messageId = body && typeof body === "object" && "id" in body ? (body as { id: unknown }).id : undefined;
    return { output: { status: response.status, messageId, content } };
  },
};
