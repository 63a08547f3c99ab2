import type { Executor } from "../db/database.ts";
import type { MessagingSettingsRow } from "../modules/templates/template.table.ts";
import { openSecretOrNull } from "../shared/secret-box.ts";
import { CaptureAdapter } from "./capture.ts";
import type { ChannelAdapter } from "./channel.ts";
import { SmtpEmailAdapter } from "./email.ts";
import { smsAdapter } from "./sms.ts";
import { SmtpThread } from "./smtp-thread.ts";
import { WhatsAppCloudAdapter } from "./whatsapp.ts";

export type SendingChannel = "email" | "sms" | "whatsapp";

export interface ChannelRegistryOptions {
  /** process-wide SMTP (SMTP_URL) for tenants without their own */
  smtpUrl?: string | null;
  /** process-wide sender (EMAIL_FROM) */
  emailFrom?: string | null;
  /** Régua's public URL, for providers' status callbacks */
  publicUrl: string;
  /** SMTP pool size */
  smtpConnections?: number;
  /** e-mails in flight at a time per SMTP pool */
  smtpInFlight?: number;
}

/**
 * Picks each tenant's adapter per channel from its messaging settings: its own SMTP, else the
 * process's SMTP_URL; its SMS provider; its WhatsApp number; else the capture transport. Adapters
 * (and their connection pools) are kept until close(); the SMTP pools share one sender thread.
 */
export class ChannelRegistry {
  private readonly adapters = new Map<string, ChannelAdapter>();
  private readonly options: ChannelRegistryOptions;
  private readonly capture: CaptureAdapter;
  private smtpThread: SmtpThread | null = null;

  constructor(db: Executor, options: ChannelRegistryOptions) {
    this.options = options;
    this.capture = new CaptureAdapter(db);
  }

  adapterFor(
    tenantId: string,
    channel: SendingChannel,
    settings: MessagingSettingsRow | undefined,
  ): ChannelAdapter {
    const key = `${tenantId}|${channel}|${settings?.updated_at?.getTime() ?? 0}`;
    let adapter = this.adapters.get(key);
    if (!adapter) {
      adapter = this.build(channel, settings);
      this.adapters.set(key, adapter);
    }
    return adapter;
  }

  private build(channel: SendingChannel, settings: MessagingSettingsRow | undefined): ChannelAdapter {
    if (channel === "email") {
      const tenantSmtpUrl = openSecretOrNull(settings?.smtp_url);
      const smtpUrl = tenantSmtpUrl ?? this.options.smtpUrl ?? null;
      if (!smtpUrl) return this.capture;
      this.smtpThread ??= new SmtpThread();
      return new SmtpEmailAdapter(
        {
          smtpUrl,
          from: settings?.email_from ?? this.options.emailFrom ?? "cobranca@regua.local",
          ...(this.options.smtpConnections ? { maxConnections: this.options.smtpConnections } : {}),
          ...(this.options.smtpInFlight ? { inFlight: this.options.smtpInFlight } : {}),
          // a tenant's server is checked like its other outbound URLs; the operator's is trusted
          ...(tenantSmtpUrl ? { outbound: {} } : {}),
        },
        this.smtpThread,
      );
    }
    if (channel === "sms") {
      if (!settings?.sms_provider || !settings.sms_token || !settings.sms_from) return this.capture;
      return smsAdapter({
        provider: settings.sms_provider,
        baseUrl: settings.sms_base_url,
        account: settings.sms_account,
        token: openSecretOrNull(settings.sms_token)!,
        from: settings.sms_from,
        pricePerSegmentCents: settings.sms_price_cents,
        statusCallbackUrl:
          settings.sms_provider === "twilio"
            ? `${this.options.publicUrl}/v1/providers/twilio/callbacks`
            : null,
      });
    }
    if (!settings?.whatsapp_phone_number_id || !settings.whatsapp_token) return this.capture;
    return new WhatsAppCloudAdapter({
      baseUrl: settings.whatsapp_base_url,
      version: settings.whatsapp_version,
      phoneNumberId: settings.whatsapp_phone_number_id,
      token: openSecretOrNull(settings.whatsapp_token)!,
      pricePerMessageCents: settings.whatsapp_price_cents,
    });
  }

  async close(): Promise<void> {
    for (const adapter of this.adapters.values()) await adapter.close();
    this.adapters.clear();
    await this.smtpThread?.terminate();
    this.smtpThread = null;
  }
}
