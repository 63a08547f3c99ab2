import type { Executor } from "../db/database.ts";
import type { ChannelAdapter, OutgoingMessage, SendResult } from "./channel.ts";

/**
 * The transport of demo and development: nothing leaves the machine; each rendered message is
 * stored in captured_messages so it can be read (`regua messages captured`). The default when a
 * tenant has no provider configured for a channel.
 */
export class CaptureAdapter implements ChannelAdapter {
  readonly provider = "capture";
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const row = await this.db
      .insertInto("captured_messages")
      .values({
        tenant_id: message.tenantId,
        message_id: message.messageId,
        channel: message.channel,
        recipient: message.recipient,
        subject: message.subject,
        text: message.text,
        html: message.html,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { provider: this.provider, providerMessageId: row.id, costCents: 0, segments: null };
  }

  async close(): Promise<void> {}
}
