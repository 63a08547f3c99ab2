import { randomUUID } from "node:crypto";
import { ChannelRegistry } from "../../channels/registry.ts";
import { type SmsLength, smsLength } from "../../channels/sms-segments.ts";
import type { Executor } from "../../db/database.ts";
import type { Clock } from "../../shared/clock.ts";
import { publicUrl } from "../../shared/config.ts";
import { AppError, notFound, validationError } from "../../shared/errors.ts";
import { creditorOf, type Tenant } from "../tenants/tenant.ts";
import { DEFAULT_TEMPLATES, defaultTemplate } from "./default-templates.ts";
import { emailHtml } from "./email-html.ts";
import { type MessageData, type RenderedMessage, renderTemplate } from "./render.ts";
import {
  deleteTemplate,
  findMessagingSettings,
  findTemplate,
  findTemplates,
  upsertTemplate,
} from "./template.repository.ts";
import type { MessageTemplateRow } from "./template.table.ts";
import { channelOfTemplate, type MessageTemplate, type TSaveTemplate, ZSaveTemplate } from "./template.ts";
import { checkTemplate, sampleMessageData } from "./template-check.ts";

export const DEFAULT_SMS_MAX_SEGMENTS = 3;

function templateFromRow(row: MessageTemplateRow): MessageTemplate {
  return {
    name: row.name,
    channel: row.channel,
    subject: row.subject,
    body: row.body,
    whatsappTemplate: row.whatsapp_template,
    whatsappLanguage: row.whatsapp_language,
    whatsappParameters: row.whatsapp_parameters,
    custom: true,
    updatedAt: row.updated_at,
  };
}

/** The tenant's version of a template, else Régua's default; not_found when neither exists. */
export async function getTemplate(db: Executor, tenantId: string, name: string): Promise<MessageTemplate> {
  const row = await findTemplate(db, tenantId, name);
  if (row) return templateFromRow(row);
  const fallback = defaultTemplate(name);
  if (!fallback) throw notFound("Modelo", name);
  return fallback;
}

/** Every template the tenant can use: its own, and the defaults it has not replaced. */
export async function listTemplates(db: Executor, tenantId: string): Promise<MessageTemplate[]> {
  const own = (await findTemplates(db, tenantId)).map(templateFromRow);
  const names = new Set(own.map((template) => template.name));
  return [...own, ...DEFAULT_TEMPLATES.filter((template) => !names.has(template.name))].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
}

async function smsMaxSegments(db: Executor, tenantId: string): Promise<number> {
  return (await findMessagingSettings(db, tenantId))?.sms_max_segments ?? DEFAULT_SMS_MAX_SEGMENTS;
}

function parseInput(input: TSaveTemplate): MessageTemplate {
  const parsed = ZSaveTemplate.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw validationError(issue.path.join(".") || "template", issue.message);
  }
  const value = parsed.data;
  return {
    name: value.name,
    channel: channelOfTemplate(value.name),
    subject: value.subject,
    body: value.body,
    whatsappTemplate: value.whatsappTemplate,
    whatsappLanguage: value.whatsappLanguage,
    whatsappParameters: value.whatsappParameters,
    custom: true,
    updatedAt: null,
  };
}

/**
 * Saves a tenant's template after checking it (syntax, known variables, creditor block, SMS
 * parts): a template that fails is refused whole, with every problem in one pt-BR message.
 */
export async function saveTemplate(
  db: Executor,
  tenant: Tenant,
  input: TSaveTemplate,
  clock: Clock,
): Promise<MessageTemplate> {
  const template = parseInput(input);
  const problems = checkTemplate(template, creditorOf(tenant), {
    smsMaxSegments: await smsMaxSegments(db, tenant.id),
    publicUrl: publicUrl(),
  });
  if (problems.length > 0) throw validationError(problemField(template, problems), problems.join("; "));
  const row = await upsertTemplate(db, { tenantId: tenant.id, ...template, now: clock.now() });
  return templateFromRow(row);
}

/** Drops the tenant's version: the default applies again (not_found when there is no default either). */
export async function resetTemplate(db: Executor, tenantId: string, name: string): Promise<void> {
  const deleted = await deleteTemplate(db, tenantId, name);
  if (!deleted && !defaultTemplate(name)) throw notFound("Modelo", name);
}

export interface TemplatePreview {
  template: MessageTemplate;
  rendered: RenderedMessage;
  html: string | null;
  sms: (SmsLength & { maxSegments: number }) | null;
  problems: string[];
}

/**
 * Which input field a refusal concerns: the subject or the WhatsApp parameters when every problem
 * lies there (a syntax error or an unknown variable found only in them), else the body.
 */
export function problemField(template: MessageTemplate, problems: string[]): string {
  const inSubject = (problem: string) => {
    if (problem.includes("no assunto")) return true;
    const variable = /variável desconhecida "([^"]+)"/.exec(problem)?.[1];
    return (
      variable !== undefined &&
      !template.body.includes(variable) &&
      (template.subject ?? "").includes(variable)
    );
  };
  const inParameters = (problem: string) =>
    problem.includes("no parâmetro") || problem.includes("parâmetros do modelo");
  if (problems.every(inSubject)) return "subject";
  if (problems.every(inParameters)) return "whatsappParameters";
  return "body";
}

/**
 * Renders a template (saved, default or a draft not yet saved) with sample data — or with a real
 * customer's data of the day — and lists what would stop it from being saved.
 */
export async function previewTemplate(
  db: Executor,
  tenant: Tenant,
  source: string | TSaveTemplate,
  data?: MessageData,
): Promise<TemplatePreview> {
  const template = typeof source === "string" ? await getTemplate(db, tenant.id, source) : parseInput(source);
  const creditor = creditorOf(tenant);
  const maxSegments = await smsMaxSegments(db, tenant.id);
  const problems = checkTemplate(template, creditor, { smsMaxSegments: maxSegments, publicUrl: publicUrl() });
  let rendered: RenderedMessage;
  try {
    rendered = renderTemplate(template, data ?? sampleMessageData(creditor, publicUrl()));
  } catch (error) {
    throw new AppError(
      "validation_failed",
      problems.join("; ") || (error as Error).message,
      problemField(template, problems),
    );
  }
  return {
    template,
    rendered,
    html: template.channel === "email" ? emailHtml(rendered.subject ?? "", rendered.text) : null,
    sms: template.channel === "sms" ? { ...smsLength(rendered.text), maxSegments } : null,
    problems,
  };
}

export interface TestSendResult {
  /** the operator's own address */
  sentTo: string;
  /** smtp, or capture when the tenant has no e-mail server configured */
  provider: string;
  subject: string;
}

/**
 * Sends a rendered preview to one operator's own e-mail through the tenant's e-mail channel (its
 * SMTP, else the process's SMTP_URL, else the capture store), whatever the template's channel: an
 * SMS or a letter arrives as the text it would carry. Never addressed to a debtor.
 */
export async function sendTestMessage(
  db: Executor,
  tenantId: string,
  preview: TemplatePreview,
  operatorEmail: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TestSendResult> {
  const registry = new ChannelRegistry(db, {
    smtpUrl: env.SMTP_URL ?? null,
    emailFrom: env.EMAIL_FROM ?? null,
    publicUrl: publicUrl(env),
  });
  const { template, rendered } = preview;
  const subject = `[Teste] ${template.name}: ${rendered.subject ?? (template.channel === "whatsapp" ? rendered.parameters.join(" | ") : rendered.text).slice(0, 80)}`;
  const text =
    template.channel === "whatsapp" && rendered.parameters.length > 0
      ? `${rendered.text}\n\nParâmetros do modelo aprovado: ${rendered.parameters.join(" | ")}`
      : rendered.text;
  const id = randomUUID();
  try {
    const adapter = registry.adapterFor(tenantId, "email", await findMessagingSettings(db, tenantId));
    const result = await adapter.send({
      tenantId,
      messageId: id,
      idempotencyKey: id,
      channel: "email",
      recipient: operatorEmail,
      subject,
      text,
      html: emailHtml(subject, text),
      unsubscribeUrl: null,
      attachments: [],
      whatsapp: null,
    });
    return { sentTo: operatorEmail, provider: result.provider, subject };
  } catch (error) {
    throw new AppError("validation_failed", `o envio de teste falhou: ${(error as Error).message}`, "email");
  } finally {
    await registry.close();
  }
}
