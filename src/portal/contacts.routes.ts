import type { FastifyReply } from "fastify";
import { portal as t } from "../i18n/pt-BR/portal.ts";
import {
  checkContactChange,
  confirmContactChange,
  pendingContactChange,
  portalContacts,
  requestContactChange,
  setChannelPreference,
} from "../modules/portal/portal.service.ts";
import { AppError } from "../shared/errors.ts";
import {
  contactReviewPage,
  contactsPage,
  maskContact,
  optOutReviewPage,
  preferencesPage,
} from "./contacts.pages.ts";
import type { Form, PageKit, SignedIn } from "./page-kit.ts";

/**
 * Contacts and preferences: a new e-mail or phone is first reviewed (nothing sent), then saved
 * only after the code sent to it comes back; stopping a channel is reviewed, then honoured at once
 * (the opt-out every message promises); resuming one is at once.
 */
export function registerContactPages({ api, now, signedInPage, signedInForm, sendPage }: PageKit): void {
  /** The contacts page as it stands after the request, with what the request has to say. */
  async function sendContacts(
    reply: FastifyReply,
    status: number,
    context: SignedIn,
    outcome: Omit<Parameters<typeof contactsPage>[0], "csrf" | "contacts"> = {},
  ) {
    const contacts = await portalContacts(api.db, context.tenant.id, context.session.customerId);
    return sendPage(reply, status, context, {
      title: t.contacts.title,
      body: contactsPage({ csrf: context.session.csrfToken, contacts, ...outcome }),
      current: "contacts",
    });
  }

  /** The channel preferences as they stand after the request, with its notice if any. */
  async function sendPreferences(reply: FastifyReply, context: SignedIn, notice?: string) {
    const contacts = await portalContacts(api.db, context.tenant.id, context.session.customerId);
    return sendPage(reply, 200, context, {
      title: t.preferences.title,
      body: preferencesPage({ csrf: context.session.csrfToken, contacts, notice }),
      current: "preferences",
    });
  }

  api.app.get(
    "/portal/contato",
    signedInPage(({ reply, context }) => sendContacts(reply, 200, context)),
  );

  api.app.post(
    "/portal/contato/revisar",
    signedInForm(async ({ reply, context, form }) => {
      const channel = form.channel === "sms" ? "sms" : "email";
      try {
        const change = checkContactChange({ channel, value: form.value ?? "" });
        const current = await portalContacts(api.db, context.tenant.id, context.session.customerId);
        return sendPage(reply, 200, context, {
          title: t.contacts.reviewTitle,
          body: contactReviewPage({ csrf: context.session.csrfToken, change, current }),
          current: "contacts",
        });
      } catch (caught) {
        if (!(caught instanceof AppError)) throw caught;
        const message = caught.message.replace(/^value: /, "");
        return sendContacts(reply, 400, context, { error: { field: channel, message } });
      }
    }),
  );

  api.app.post(
    "/portal/contato",
    signedInForm(async ({ reply, context, form }) => {
      const channel = form.channel === "sms" ? "sms" : "email";
      let status = 200;
      let pending: { codeId: string; channel: string; value: string } | undefined;
      let error: { field: "email" | "sms"; message: string } | undefined;
      try {
        pending = await requestContactChange(
          api.db,
          context.tenant,
          context.session.customerId,
          { channel, value: form.value ?? "" },
          now(),
        );
      } catch (caught) {
        if (!(caught instanceof AppError)) throw caught;
        status = caught.code === "rate_limited" ? 429 : 400;
        error = { field: channel, message: caught.message.replace(/^value: /, "") };
      }
      return sendContacts(reply, status, context, { pending, error });
    }),
  );

  api.app.post(
    "/portal/contato/confirmar",
    signedInForm(async ({ reply, context, form }) => {
      let status = 200;
      let notice: string | undefined;
      let error: { field: "code"; message: string } | undefined;
      let pending: { codeId: string; channel: string; value: string } | undefined;
      try {
        const saved = await confirmContactChange(
          api.db,
          context.tenant.id,
          context.session.customerId,
          { codeId: form.codeId, code: form.code ?? "" },
          now(),
        );
        notice = t.contacts.saved(maskContact(saved.channel, saved.value));
      } catch (caught) {
        if (!(caught instanceof AppError)) throw caught;
        status = 400;
        error = { field: "code", message: caught.message.replace(/^code: /, "") };
        pending = await pendingContactChange(
          api.db,
          context.tenant.id,
          context.session.customerId,
          form.codeId,
        );
      }
      return sendContacts(reply, status, context, { notice, error, pending });
    }),
  );

  api.app.get(
    "/portal/preferencias",
    signedInPage(({ reply, context }) => sendPreferences(reply, context)),
  );

  /** The channel a preferences form names, or an AppError naming the field. */
  function channelOf(form: Form): "email" | "sms" | "whatsapp" {
    const channel = form.channel;
    if (channel !== "email" && channel !== "sms" && channel !== "whatsapp") {
      throw new AppError("validation_failed", "Canal desconhecido", "channel");
    }
    return channel;
  }

  async function applyPreference(
    reply: FastifyReply,
    context: SignedIn,
    channel: ReturnType<typeof channelOf>,
    receive: boolean,
  ) {
    await setChannelPreference(
      api.db,
      context.tenant.id,
      context.session.customerId,
      channel,
      receive,
      api.context.clock,
    );
    const label = t.contacts.channel[channel]!;
    return sendPreferences(
      reply,
      context,
      receive ? t.preferences.savedIn(label) : t.preferences.savedOut(label),
    );
  }

  // resuming is at once; stopping is shown first, and made only by the confirmation below
  api.app.post(
    "/portal/preferencias",
    signedInForm(async ({ reply, context, form }) => {
      const channel = channelOf(form);
      if (form.receive === "yes") return applyPreference(reply, context, channel, true);
      const contacts = await portalContacts(api.db, context.tenant.id, context.session.customerId);
      return sendPage(reply, 200, context, {
        title: t.preferences.reviewTitle,
        body: optOutReviewPage({ csrf: context.session.csrfToken, channel, contacts }),
        current: "preferences",
      });
    }),
  );

  api.app.post(
    "/portal/preferencias/confirmar",
    signedInForm(({ reply, context, form }) =>
      applyPreference(reply, context, channelOf(form), form.receive === "yes"),
    ),
  );
}
