/**
 * The HTML part of an e-mail, made from the rendered plain text so the two parts always say the
 * same thing: a blank line separates paragraphs, lines starting with "- " form a list, URLs become
 * links. One centred column of at most 600px that shrinks on phones, inline CSS only (most mail
 * clients drop <style>), a language and a title for screen readers, body text at 16px with a
 * contrast above WCAG AA, and a preheader with the opening line. A sent message also carries the
 * 1×1 image that records its open (docs/messages.md § Opens); previews do not.
 */
export function emailHtml(subject: string, text: string, openImageUrl: string | null = null): string {
  const blocks = text.trim().split(/\n{2,}/);
  const body = blocks.map(block).join("\n");
  const preheader = escapeHtml((blocks[0] ?? "").replace(/\s+/g, " ").slice(0, 140));
  return `<!DOCTYPE html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<title>${escapeHtml(subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:#f3f4f6;">
<div style="display:none;max-height:0;overflow:hidden;">${preheader}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f3f4f6;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background-color:#ffffff;border-radius:8px;">
<tr><td style="padding:24px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1f2937;">
<h1 style="margin:0 0 16px 0;font-size:20px;line-height:1.3;color:#111827;">${escapeHtml(subject)}</h1>
${body}
</td></tr>
</table>
</td></tr>
</table>
${openImageUrl ? openImage(openImageUrl) : ""}</body>
</html>
`;
}

/** The 1×1 image whose loading records an open (docs/messages.md § Opens); empty alt: screen readers skip it. */
function openImage(url: string): string {
  return `<img src="${escapeHtml(url)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;">\n`;
}

function block(text: string): string {
  const lines = text.split("\n");
  if (lines.every((line) => line.startsWith("- "))) {
    const items = lines.map((line) => `<li style="margin:0 0 8px 0;">${inline(line.slice(2))}</li>`).join("");
    return `<ul style="margin:0 0 16px 0;padding-left:20px;">${items}</ul>`;
  }
  const parts: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (list.length > 0) parts.push(`<ul style="margin:0 0 16px 0;padding-left:20px;">${list.join("")}</ul>`);
    list = [];
  };
  let paragraph: string[] = [];
  const flushParagraph = () => {
    if (paragraph.length > 0) parts.push(`<p style="margin:0 0 16px 0;">${paragraph.join("<br>")}</p>`);
    paragraph = [];
  };
  for (const line of lines) {
    if (line.startsWith("- ")) {
      flushParagraph();
      list.push(`<li style="margin:0 0 8px 0;">${inline(line.slice(2))}</li>`);
    } else {
      flush();
      paragraph.push(inline(line));
    }
  }
  flush();
  flushParagraph();
  return parts.join("\n");
}

const URL = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)]/g;

function inline(text: string): string {
  let result = "";
  let last = 0;
  for (const match of text.matchAll(URL)) {
    result += escapeHtml(text.slice(last, match.index));
    const url = escapeHtml(match[0]);
    result += `<a href="${url}" style="color:#1d4ed8;text-decoration:underline;">${url}</a>`;
    last = match.index + match[0].length;
  }
  // long unbroken values (typeable line, Pix payload) must wrap on a phone
  return result + escapeHtml(text.slice(last)).replace(/(\S{40})/g, "$1<wbr>");
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}
