import "./reflect-polyfill.ts";
import { randomBytes, webcrypto } from "node:crypto";
import https from "node:https";
import type { AddressInfo } from "node:net";
import * as x509 from "@peculiar/x509";
import { Ajv, type ValidateFunction } from "ajv";
import formatsModule from "ajv-formats";
import { addDays, daysBetween, todayIn } from "../../src/domain/dates.ts";
import { centsToDecimal, decimalToCents } from "../../src/domain/money.ts";
import { buildPixPayload } from "../../src/domain/pix.ts";
import type { Clock } from "../../src/shared/clock.ts";
import { BCB_PIX_OPENAPI } from "./bcb-pix-openapi.ts";

/**
 * A PSP speaking the BCB standard Pix API v2 over mutual TLS, for the tests: its own CA signs the
 * server's certificate and the client certificate it gives Régua; a client without a certificate
 * from that CA is refused in the handshake. It issues OAuth2 tokens (client credentials), checks
 * every request body against the published OpenAPI schemas (bcb-pix-openapi.ts) with ajv, keeps
 * charges (cobv), locations, recurrences (rec) and recurring charges (cobr), and notifies the
 * registered webhooks by HTTP POST like a PSP does (`<url>/pix`, and the rec and cobr URLs).
 */

// ajv-formats is CommonJS: its default export arrives as the module object under Node's ESM loader
const addFormats = ((formatsModule as unknown as { default?: typeof formatsModule }).default ??
  formatsModule) as unknown as (ajv: Ajv) => Ajv;
type KeyPair = { publicKey: CryptoKey; privateKey: CryptoKey };

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

async function keyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key));
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join("\n")}\n-----END PRIVATE KEY-----\n`;
}

export interface TestCertificates {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** a client certificate signed by another CA: the PSP must refuse it */
  strangerCertPem: string;
  strangerKeyPem: string;
}

/** A CA, the PSP's server certificate (localhost, 127.0.0.1) and a client certificate, valid around the real time (TLS checks it). */
export async function makeCertificates(): Promise<TestCertificates> {
  const notBefore = new Date(Date.now() - 400 * 86_400_000);
  const notAfter = new Date(Date.now() + 400 * 86_400_000);
  const newKeys = () => webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]) as Promise<KeyPair>;
  const caKeys = await newKeys();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: "CN=PSP de Teste CA",
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const issue = async (serial: string, subject: string, keys: KeyPair, server: boolean) =>
    x509.X509CertificateGenerator.create({
      serialNumber: serial,
      subject,
      issuer: ca.subject,
      notBefore,
      notAfter,
      signingAlgorithm: ALGORITHM,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      extensions: server
        ? [
            new x509.SubjectAlternativeNameExtension([
              { type: "dns", value: "localhost" },
              { type: "ip", value: "127.0.0.1" },
            ]),
          ]
        : [],
    });
  const serverKeys = await newKeys();
  const clientKeys = await newKeys();
  const server = await issue("02", "CN=localhost", serverKeys, true);
  const client = await issue("03", "CN=Provedor Fibra Rapida Ltda, O=11222333000181", clientKeys, false);
  const strangerKeys = await newKeys();
  const stranger = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "09",
    name: "CN=Intruso",
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys: strangerKeys,
  });
  return {
    caPem: ca.toString("pem"),
    serverCertPem: server.toString("pem"),
    serverKeyPem: await keyPem(serverKeys.privateKey),
    clientCertPem: client.toString("pem"),
    clientKeyPem: await keyPem(clientKeys.privateKey),
    strangerCertPem: stranger.toString("pem"),
    strangerKeyPem: await keyPem(strangerKeys.privateKey),
  };
}

// biome-ignore lint/suspicious/noExplicitAny: the peer stores the bodies it received as sent
type Json = any;

export interface PeerCobv {
  txid: string;
  body: Json;
  status: string;
  revisao: number;
  locId: number;
  location: string;
}

export interface PeerPix {
  endToEndId: string;
  txid?: string;
  valor: string;
  horario: string;
  infoPagador?: string;
  devolucoes?: Json[];
}

export interface PeerRec {
  idRec: string;
  body: Json;
  status: "CRIADA" | "APROVADA" | "REJEITADA" | "EXPIRADA" | "CANCELADA";
  location: string | null;
}

export interface PixPsp {
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  certificates: TestCertificates;
  /** requests whose body broke the OpenAPI schemas: must stay empty */
  invalid: { method: string; path: string; errors: string }[];
  requests: { method: string; path: string; body: Json }[];
  tokensIssued: number;
  cobv: Map<string, PeerCobv>;
  received: PeerPix[];
  webhooks: { pix?: string; rec?: string; cobr?: string };
  recs: Map<string, PeerRec>;
  cobr: Map<string, { txid: string; body: Json; status: string }>;
  /** GET /pix page size (small, so the sweep walks several pages) */
  pageSize: number;
  /**
   * A payer pays the cobv now: amount as the PSP prices it on the day (original, plus fine and
   * daily interest after the due date). Notified to the webhook unless `deliver` is false (Régua down).
   */
  pay(txid: string, options?: { deliver?: boolean; valor?: string }): Promise<PeerPix>;
  /** A Pix with a txid Régua never issued (or none): reaches Régua as a payment to reconcile. */
  payUnknown(valor: string, txid?: string): Promise<PeerPix>;
  /** Notifies the same Pix again (a PSP retrying its webhook). */
  redeliver(pix: PeerPix): Promise<number>;
  /** A devolução of `valor` of that Pix, notified with the Pix. */
  refund(pix: PeerPix, valor: string): Promise<void>;
  /** The payer's bank answers the recurrence: APROVADA, REJEITADA (AP13/AP14) or CANCELADA. */
  answerRecurrence(
    idRec: string,
    status: "APROVADA" | "REJEITADA" | "CANCELADA",
    code?: string,
  ): Promise<number>;
  /** The payer's PSP debits a recurring charge on its date, or rejects it. */
  settleCobr(txid: string): Promise<PeerPix>;
  rejectCobr(txid: string, code: string): Promise<number>;
  close(): Promise<void>;
}

function problem(status: number, type: string, detail: string) {
  return { type: `https://pix.bcb.gov.br/api/v2/error/${type}`, title: type, status, detail };
}

function endToEndId(): string {
  return `E12345678${randomBytes(16).toString("hex").slice(0, 23)}`;
}

/** Starts the PSP on a free port of the loopback; `clock` is the day the PSP prices payments by. */
export async function startPixPsp(clock: Clock, timeZone = "America/Sao_Paulo"): Promise<PixPsp> {
  const certificates = await makeCertificates();
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(BCB_PIX_OPENAPI);
  const validators = new Map<string, ValidateFunction>();
  const validatorOf = (schema: string) => {
    const known = validators.get(schema);
    if (known) return known;
    const compiled = ajv.compile({ $ref: `bcb-pix-api#/components/schemas/${schema}` });
    validators.set(schema, compiled);
    return compiled;
  };
  const tokens = new Set<string>();
  let locations = 0;
  let recSequence = 0;
  const peer = {
    clientId: "regua-client",
    clientSecret: `segredo-${randomBytes(8).toString("hex")}`,
    certificates,
    invalid: [],
    requests: [],
    tokensIssued: 0,
    cobv: new Map(),
    received: [],
    webhooks: {},
    recs: new Map(),
    cobr: new Map(),
    pageSize: 2,
  } as unknown as PixPsp;

  const post = async (url: string | undefined, body: unknown): Promise<number> => {
    if (!url) throw new Error("webhook não registrado no PSP de teste");
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    await response.text();
    return response.status;
  };

  /**
   * What a cobv costs on `today`: CobVValor modalities 2 (fine %) and 3 (interest % a month,
   * calendar days), and discount modality 1 (a fixed value up to each date, the nearest date first).
   */
  const priceOf = (charge: PeerCobv, today: string): string => {
    const original = decimalToCents(charge.body.valor.original);
    const due = charge.body.calendario.dataDeVencimento as string;
    if (today <= due) {
      const desconto = charge.body.valor.desconto as
        | { modalidade: number; descontoDataFixa?: { data: string; valorPerc: string }[] }
        | undefined;
      const step =
        desconto?.modalidade === 1
          ? [...(desconto.descontoDataFixa ?? [])]
              .sort((a, b) => a.data.localeCompare(b.data))
              .find((candidate) => today <= candidate.data)
          : undefined;
      return centsToDecimal(original - (step ? decimalToCents(step.valorPerc) : 0));
    }
    const days = daysBetween(due, today);
    const fine = charge.body.valor.multa
      ? Math.round((original * decimalToCents(charge.body.valor.multa.valorPerc)) / 10_000)
      : 0;
    const monthly = charge.body.valor.juros ? decimalToCents(charge.body.valor.juros.valorPerc) : 0;
    const interest = Math.round((original * monthly * days) / (10_000 * 30));
    return centsToDecimal(original + fine + interest);
  };

  const routes: [string, RegExp, (match: RegExpMatchArray, body: Json, url: URL) => [number, unknown]][] = [
    [
      "PUT",
      /^\/cobv\/([^/]+)$/,
      ([, txid], body) => {
        if (!/^[a-zA-Z0-9]{26,35}$/.test(txid!))
          return [400, problem(400, "CobVOperacaoInvalida", "txid inválido")];
        const existing = peer.cobv.get(txid!);
        locations += existing ? 0 : 1;
        const locId = existing?.locId ?? locations;
        const charge: PeerCobv = {
          txid: txid!,
          body,
          status: "ATIVA",
          revisao: existing ? existing.revisao + 1 : 0,
          locId,
          location: `localhost/psp-teste/qr/v2/cobv/${txid!.toLowerCase()}`,
        };
        peer.cobv.set(txid!, charge);
        return [existing ? 200 : 201, cobvView(charge)];
      },
    ],
    [
      "PATCH",
      /^\/cobv\/([^/]+)$/,
      ([, txid], body) => {
        const charge = peer.cobv.get(txid!);
        if (!charge) return [404, problem(404, "CobVNaoEncontrada", "cobrança não encontrada")];
        if (body.status) charge.status = body.status;
        charge.revisao += 1;
        return [200, cobvView(charge)];
      },
    ],
    [
      "GET",
      /^\/cobv\/([^/]+)$/,
      ([, txid]) => {
        const charge = peer.cobv.get(txid!);
        return charge
          ? [200, cobvView(charge)]
          : [404, problem(404, "CobVNaoEncontrada", "cobrança não encontrada")];
      },
    ],
    [
      "PUT",
      /^\/webhook\/([^/]+)$/,
      (_match, body) => {
        peer.webhooks.pix = body.webhookUrl;
        return [200, {}];
      },
    ],
    [
      "PUT",
      /^\/webhookrec$/,
      (_match, body) => {
        peer.webhooks.rec = body.webhookUrl;
        return [204, null];
      },
    ],
    [
      "PUT",
      /^\/webhookcobr$/,
      (_match, body) => {
        peer.webhooks.cobr = body.webhookUrl;
        return [204, null];
      },
    ],
    [
      "GET",
      /^\/pix$/,
      (_match, _body, url) => {
        const inicio = url.searchParams.get("inicio");
        const fim = url.searchParams.get("fim");
        if (!inicio || !fim) return [400, problem(400, "ConsultaPixInvalida", "informe inicio e fim")];
        const page = Number(url.searchParams.get("paginacao.paginaAtual") ?? 0);
        const inRange = peer.received.filter(
          (pix) => new Date(pix.horario) >= new Date(inicio) && new Date(pix.horario) <= new Date(fim),
        );
        const pages = Math.max(1, Math.ceil(inRange.length / peer.pageSize));
        return [
          200,
          {
            parametros: {
              inicio,
              fim,
              paginacao: {
                paginaAtual: page,
                itensPorPagina: peer.pageSize,
                quantidadeDePaginas: pages,
                quantidadeTotalDeItens: inRange.length,
              },
            },
            pix: inRange.slice(page * peer.pageSize, (page + 1) * peer.pageSize),
          },
        ];
      },
    ],
    [
      "POST",
      /^\/locrec$/,
      () => {
        locations += 1;
        return [
          201,
          {
            id: locations,
            location: `localhost/psp-teste/qr/v2/rec/${randomBytes(8).toString("hex")}`,
            criacao: clock.now().toISOString(),
          },
        ];
      },
    ],
    [
      "POST",
      /^\/rec$/,
      (_match, body) => {
        recSequence += 1;
        const day = todayIn(timeZone, clock.now()).replace(/-/g, "");
        const policy = body.politicaRetentativa === "PERMITE_3R_7D" ? "R" : "N";
        const idRec = `R${policy}12345678${day}${String(recSequence).padStart(11, "0")}`;
        const rec: PeerRec = { idRec, body, status: "CRIADA", location: null };
        if (body.loc !== undefined) rec.location = `localhost/psp-teste/qr/v2/rec/${body.loc}`;
        peer.recs.set(idRec, rec);
        return [201, { idRec, status: rec.status, ...body }];
      },
    ],
    [
      "GET",
      /^\/rec\/([^/]+)$/,
      ([, idRec], _body, url) => {
        const rec = peer.recs.get(idRec!);
        if (!rec) return [404, problem(404, "RecNaoEncontrada", "recorrência não encontrada")];
        const txid = url.searchParams.get("txid");
        const charge = txid ? peer.cobv.get(txid) : undefined;
        if (txid && !charge)
          return [400, problem(400, "RecConsultaInvalida", "txid não corresponde a uma cobrança")];
        const qrUrl = charge ? charge.location : rec.location;
        return [
          200,
          {
            idRec,
            status: rec.status,
            ...(qrUrl
              ? {
                  dadosQR: {
                    jornada: charge ? "JORNADA_4" : "JORNADA_2",
                    pixCopiaECola: buildPixPayload({ url: qrUrl, name: "PSP TESTE", city: "CAMPINAS" }),
                  },
                }
              : {}),
          },
        ];
      },
    ],
    [
      "PUT",
      /^\/cobr\/([^/]+)$/,
      ([, txid], body) => {
        const rec = peer.recs.get(body.idRec);
        if (!rec || rec.status !== "APROVADA") {
          return [400, problem(400, "CobROperacaoInvalida", "a recorrência não está aprovada")];
        }
        const ahead = daysBetween(todayIn(timeZone, clock.now()), body.calendario.dataDeVencimento);
        if (ahead < 2 || ahead > 10) {
          return [
            400,
            problem(400, "CobROperacaoInvalida", "a cobrança deve ser enviada de 2 a 10 dias antes"),
          ];
        }
        peer.cobr.set(txid!, { txid: txid!, body, status: "ATIVA" });
        return [201, { idRec: body.idRec, txid, status: "ATIVA", ...body }];
      },
    ],
    [
      "PATCH",
      /^\/cobr\/([^/]+)$/,
      ([, txid], body) => {
        const cobr = peer.cobr.get(txid!);
        if (!cobr) return [404, problem(404, "CobRNaoEncontrado", "cobrança não encontrada")];
        cobr.status = body.status ?? cobr.status;
        return [200, { txid, status: cobr.status }];
      },
    ],
  ];

  const schemaOf: Record<string, string> = {
    "PUT /cobv": "CobVSolicitada",
    "PATCH /cobv": "CobVRevisada",
    "PUT /webhook": "WebhookSolicitado",
    "PUT /webhookrec": "WebhookRecSolicitado",
    "PUT /webhookcobr": "WebhookCobRSolicitado",
    "POST /rec": "RecSolicitada",
    "PUT /cobr": "CobRSolicitada",
    "PATCH /cobr": "CobRRevisada",
  };

  function cobvView(charge: PeerCobv) {
    return {
      calendario: { criacao: clock.now().toISOString(), ...charge.body.calendario },
      txid: charge.txid,
      revisao: charge.revisao,
      loc: {
        id: charge.locId,
        location: charge.location,
        tipoCob: "cobv",
        criacao: clock.now().toISOString(),
      },
      location: charge.location,
      status: charge.status,
      devedor: charge.body.devedor,
      recebedor: {
        cnpj: "11222333000181",
        nome: "Provedor Fibra Rapida Ltda",
        logradouro: "Rua das Flores, 100",
        cidade: "Campinas",
        uf: "SP",
        cep: "13010000",
      },
      valor: charge.body.valor,
      chave: charge.body.chave,
      pixCopiaECola: buildPixPayload({ url: charge.location, name: "PSP TESTE", city: "CAMPINAS" }),
    };
  }

  const server = https.createServer(
    {
      key: certificates.serverKeyPem,
      cert: certificates.serverCertPem,
      ca: certificates.caPem,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const url = new URL(request.url ?? "/", "https://localhost");
        const reply = (status: number, body: unknown) => {
          response.writeHead(status, body === null ? {} : { "content-type": "application/json" });
          response.end(body === null ? undefined : JSON.stringify(body));
        };
        if (url.pathname === "/oauth/token" && request.method === "POST") {
          const expected = `Basic ${Buffer.from(`${peer.clientId}:${peer.clientSecret}`).toString("base64")}`;
          const form = new URLSearchParams(text);
          if (request.headers.authorization !== expected || form.get("grant_type") !== "client_credentials") {
            reply(401, { error: "invalid_client" });
            return;
          }
          const token = randomBytes(24).toString("hex");
          tokens.add(token);
          peer.tokensIssued += 1;
          reply(200, {
            access_token: token,
            token_type: "Bearer",
            expires_in: 3600,
            scope: "cobv.write cob.read",
          });
          return;
        }
        if (!url.pathname.startsWith("/api/v2/")) return reply(404, problem(404, "NaoEncontrado", "rota"));
        const bearer = request.headers.authorization?.replace(/^Bearer /, "") ?? "";
        if (!tokens.has(bearer)) return reply(401, problem(401, "AcessoNegado", "token ausente ou inválido"));
        const path = url.pathname.slice("/api/v2".length);
        let body: Json = null;
        if (text.length > 0) {
          try {
            body = JSON.parse(text);
          } catch {
            return reply(400, problem(400, "RequisicaoInvalida", "JSON inválido"));
          }
        }
        peer.requests.push({ method: request.method ?? "", path, body });
        const schema = schemaOf[`${request.method} ${path.replace(/^(\/[a-z]+).*$/, "$1")}`];
        if (schema) {
          const validate = validatorOf(schema);
          if (!validate(body)) {
            const errors = ajv.errorsText(validate.errors);
            peer.invalid.push({ method: request.method ?? "", path, errors });
            return reply(400, problem(400, "RequisicaoInvalida", errors));
          }
        }
        for (const [method, pattern, handle] of routes) {
          const match = path.match(pattern);
          if (method === request.method && match) {
            const [status, answer] = handle(match, body, url);
            return reply(status, answer);
          }
        }
        reply(404, problem(404, "NaoEncontrado", `${request.method} ${path}`));
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  peer.baseUrl = `https://localhost:${port}/api/v2`;
  peer.tokenUrl = `https://localhost:${port}/oauth/token`;

  const notifyPix = (pix: PeerPix) =>
    post(peer.webhooks.pix ? `${peer.webhooks.pix}/pix` : undefined, { pix: [pix] });

  peer.pay = async (txid, options = {}) => {
    const charge = peer.cobv.get(txid);
    if (!charge || charge.status !== "ATIVA") throw new Error(`cobrança ${txid} não está ativa no PSP`);
    const today = todayIn(timeZone, clock.now());
    const limit = addDays(
      charge.body.calendario.dataDeVencimento,
      charge.body.calendario.validadeAposVencimento ?? 30,
    );
    if (today > limit) throw new Error(`cobrança ${txid} vencida além da validade`);
    const pix: PeerPix = {
      endToEndId: endToEndId(),
      txid,
      valor: options.valor ?? priceOf(charge, today),
      horario: clock.now().toISOString(),
      infoPagador: "pagamento da fatura",
    };
    charge.status = "CONCLUIDA";
    peer.received.push(pix);
    if (options.deliver !== false) await notifyPix(pix);
    return pix;
  };
  peer.payUnknown = async (valor, txid) => {
    const pix: PeerPix = {
      endToEndId: endToEndId(),
      ...(txid ? { txid } : {}),
      valor,
      horario: clock.now().toISOString(),
    };
    peer.received.push(pix);
    await notifyPix(pix);
    return pix;
  };
  peer.redeliver = (pix) => notifyPix(pix);
  peer.refund = async (pix, valor) => {
    pix.devolucoes = [
      ...(pix.devolucoes ?? []),
      {
        id: `D${randomBytes(6).toString("hex")}`,
        rtrId: `D12345678${randomBytes(16).toString("hex").slice(0, 23)}`,
        valor,
        natureza: "ORIGINAL",
        horario: { solicitacao: clock.now().toISOString(), liquidacao: clock.now().toISOString() },
        status: "DEVOLVIDO",
      },
    ];
    await notifyPix(pix);
  };
  peer.answerRecurrence = async (idRec, status, code) => {
    const rec = peer.recs.get(idRec);
    if (!rec) throw new Error(`recorrência ${idRec} desconhecida`);
    rec.status = status;
    const now = clock.now().toISOString();
    const encerramento =
      status === "REJEITADA"
        ? { rejeicao: { codigo: code ?? "AP13", descricao: "Recusada pelo usuário pagador" } }
        : status === "CANCELADA"
          ? {
              cancelamento: {
                solicitante: "USUARIO_PAGADOR",
                codigo: code ?? "ACCL",
                descricao: "Cancelada pelo pagador",
              },
            }
          : undefined;
    return post(peer.webhooks.rec, {
      recs: [
        {
          idRec,
          status,
          atualizacao: [
            { status: "CRIADA", data: now },
            { status, data: now },
          ],
          ...(encerramento ? { encerramento } : {}),
        },
      ],
    });
  };
  peer.settleCobr = async (txid) => {
    const cobr = peer.cobr.get(txid);
    if (!cobr || cobr.status !== "ATIVA") throw new Error(`cobrança recorrente ${txid} não está ativa`);
    cobr.status = "CONCLUIDA";
    const pix: PeerPix = {
      endToEndId: endToEndId(),
      txid,
      valor: cobr.body.valor.original,
      horario: clock.now().toISOString(),
    };
    peer.received.push(pix);
    await post(peer.webhooks.cobr, {
      cobsr: [
        {
          idRec: cobr.body.idRec,
          txid,
          status: "CONCLUIDA",
          atualizacao: [{ status: "CONCLUIDA", data: pix.horario }],
          pix: [pix],
        },
      ],
    });
    return pix;
  };
  peer.rejectCobr = async (txid, code) => {
    const cobr = peer.cobr.get(txid);
    if (!cobr) throw new Error(`cobrança recorrente ${txid} desconhecida`);
    cobr.status = "REJEITADA";
    return post(peer.webhooks.cobr, {
      cobsr: [
        {
          idRec: cobr.body.idRec,
          txid,
          status: "REJEITADA",
          atualizacao: [{ status: "REJEITADA", data: clock.now().toISOString() }],
          encerramento: { rejeicao: { codigo: code, descricao: "Saldo insuficiente" } },
        },
      ],
    });
  };
  peer.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return peer;
}
