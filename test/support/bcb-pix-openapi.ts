/**
 * The request schemas of the BCB standard Pix API that Régua sends, transcribed from the published
 * OpenAPI document: https://github.com/bacen/pix-api, file openapi.yaml, version "2.8.1" (commit
 * ee778dc91baea3183710d4fd6ada543bdcb62779), section components.schemas; licence Apache 2.0
 * (Banco Central do Brasil). Only the schemas reachable from the request bodies below are kept;
 * descriptions and examples are dropped, everything that validates is as published, except two
 * fixes without which no valid request could pass (each marked FIX below):
 *
 * - the CPF/CNPJ patterns are published as "/^\\d{11}$/" with the slashes of a JavaScript regex
 *   literal inside the string; JSON Schema would read the slashes as characters, so they are removed;
 * - RecBase lists `idRec` and `retentativa` as required, but a recurrence being requested has no
 *   idRec yet (the PSP assigns it, RecId) and the policy field is named `politicaRetentativa`
 *   (RecConfiguracao, which requires it): the request keeps `calendario` and `vinculo` required.
 *
 * Request bodies (paths section of the same document):
 *   PUT /cobv/{txid} → CobVSolicitada · PATCH /cobv/{txid} → CobVRevisada
 *   PUT /webhook/{chave} → WebhookSolicitado · PUT /webhookrec → WebhookRecSolicitado ·
 *   PUT /webhookcobr → WebhookCobRSolicitado
 *   POST /rec → RecSolicitada · PUT /cobr/{txid} → CobRSolicitada · PATCH /cobr/{txid} → CobRRevisada
 */
const decimal = { type: "string", pattern: "\\d{1,10}\\.\\d{2}" } as const;
const cpf = { type: "string", pattern: "^\\d{11}$" } as const; // FIX: published as "/^\\d{11}$/"
const cnpj = { type: "string", pattern: "^\\d{14}$" } as const; // FIX: published as "/^\\d{14}$/"

export const BCB_PIX_OPENAPI = {
  $id: "bcb-pix-api",
  components: {
    schemas: {
      TxId: { type: "string", pattern: "[a-zA-Z0-9]{26,35}" },
      RecId: { type: "string", pattern: "[a-zA-Z0-9]{29}", minLength: 29, maxLength: 29 },
      PayloadLocationId: { type: "integer", format: "int64", readOnly: true },
      PayloadLocationRecId: { type: "integer", format: "int64" },
      PessoaFisica: {
        type: "object",
        required: ["cpf", "nome"],
        properties: { cpf, nome: { type: "string", maxLength: 200 } },
      },
      PessoaJuridica: {
        type: "object",
        required: ["cnpj", "nome"],
        properties: { cnpj, nome: { type: "string", maxLength: 200 } },
      },
      PessoaFisicaRecorrencia: {
        type: "object",
        required: ["cpf", "nome"],
        properties: { cpf, nome: { type: "string", maxLength: 140 } },
      },
      PessoaJuridicaRecorrencia: {
        type: "object",
        required: ["cnpj", "nome"],
        properties: { cnpj, nome: { type: "string", maxLength: 140 } },
      },
      DadosComplementaresPessoa: {
        type: "object",
        properties: {
          logradouro: { type: "string", maxLength: 200 },
          cidade: { type: "string", maxLength: 200 },
          uf: { type: "string", maxLength: 2 },
          cep: { type: "string", maxLength: 8 },
        },
      },
      DadosDevedor: {
        type: "object",
        properties: {
          devedor: {
            oneOf: [
              { $ref: "#/components/schemas/PessoaFisica" },
              { $ref: "#/components/schemas/PessoaJuridica" },
            ],
            allOf: [
              { type: "object", properties: { email: { type: "string" } } },
              { $ref: "#/components/schemas/DadosComplementaresPessoa" },
            ],
          },
        },
      },
      DadosDevedorRecorrencia: {
        type: "object",
        properties: {
          devedor: {
            allOf: [
              { type: "object", properties: { email: { type: "string" } } },
              { $ref: "#/components/schemas/DadosComplementaresPessoa" },
            ],
          },
        },
      },
      DadosBancariosRecebedor: {
        type: "object",
        required: ["conta", "tipoConta"],
        properties: {
          conta: { type: "string", maxLength: 20 },
          tipoConta: { type: "string", enum: ["CORRENTE", "POUPANCA", "PAGAMENTO"] },
          agencia: { type: "string", maxLength: 4 },
        },
      },
      WebhookSolicitado: {
        type: "object",
        required: ["webhookUrl"],
        properties: { webhookUrl: { type: "string", format: "uri" } },
      },
      WebhookRecBase: {
        type: "object",
        required: ["webhookUrl"],
        properties: { webhookUrl: { type: "string", format: "uri" } },
      },
      WebhookRecSolicitado: { type: "object", allOf: [{ $ref: "#/components/schemas/WebhookRecBase" }] },
      WebhookCobRSolicitado: {
        type: "object",
        required: ["webhookUrl"],
        properties: { webhookUrl: { type: "string", format: "uri" } },
      },
      CobDataDeVencimento: {
        type: "object",
        required: ["dataDeVencimento"],
        properties: {
          dataDeVencimento: { type: "string", format: "date" },
          validadeAposVencimento: { type: "integer", format: "int32", default: 30 },
        },
      },
      CobVValor: {
        type: "object",
        properties: {
          original: decimal,
          multa: {
            type: "object",
            required: ["modalidade", "valorPerc"],
            properties: {
              modalidade: { type: "integer", format: "int32", minimum: 1, maximum: 2 },
              valorPerc: decimal,
            },
          },
          juros: {
            type: "object",
            required: ["modalidade", "valorPerc"],
            properties: {
              modalidade: { type: "integer", format: "int32", minimum: 1, maximum: 8 },
              valorPerc: decimal,
            },
          },
          abatimento: {
            required: ["modalidade", "valorPerc"],
            properties: {
              modalidade: { type: "integer", format: "int32", minimum: 1, maximum: 2 },
              valorPerc: decimal,
            },
          },
          desconto: {
            required: ["modalidade"],
            allOf: [
              {
                type: "object",
                properties: { modalidade: { type: "integer", format: "int32", minimum: 1, maximum: 6 } },
              },
            ],
            oneOf: [
              {
                type: "object",
                properties: {
                  descontoDataFixa: {
                    type: "array",
                    minItems: 1,
                    maxItems: 3,
                    uniqueItems: true,
                    items: {
                      required: ["data", "valorPerc"],
                      allOf: [
                        { properties: { data: { type: "string", format: "date" } } },
                        { properties: { valorPerc: decimal } },
                      ],
                    },
                  },
                },
              },
              { type: "object", required: ["valorPerc"], properties: { valorPerc: decimal } },
            ],
          },
        },
      },
      PayloadLocationCob: {
        type: "object",
        required: ["id", "tipoCob"],
        properties: { id: { $ref: "#/components/schemas/PayloadLocationId" } },
      },
      CobBase: {
        type: "object",
        properties: {
          chave: { type: "string", maxLength: 77 },
          solicitacaoPagador: { type: "string", maxLength: 140 },
          infoAdicionais: {
            type: "array",
            maximum: 50,
            items: {
              type: "object",
              required: ["nome", "valor"],
              properties: {
                nome: { type: "string", maxLength: 50 },
                valor: { type: "string", maxLength: 200 },
              },
            },
          },
        },
      },
      CobVSolicitada: {
        type: "object",
        required: ["valor", "chave", "devedor", "calendario"],
        allOf: [
          {
            type: "object",
            properties: { calendario: { allOf: [{ $ref: "#/components/schemas/CobDataDeVencimento" }] } },
          },
          { $ref: "#/components/schemas/DadosDevedor" },
          {
            type: "object",
            properties: { loc: { allOf: [{ $ref: "#/components/schemas/PayloadLocationCob" }] } },
          },
          {
            type: "object",
            properties: {
              valor: { allOf: [{ required: ["original"] }, { $ref: "#/components/schemas/CobVValor" }] },
            },
          },
          { $ref: "#/components/schemas/CobBase" },
        ],
      },
      CobVRevisada: {
        type: "object",
        allOf: [
          {
            type: "object",
            properties: { calendario: { allOf: [{ $ref: "#/components/schemas/CobDataDeVencimento" }] } },
          },
          { $ref: "#/components/schemas/DadosDevedor" },
          {
            type: "object",
            properties: { loc: { allOf: [{ $ref: "#/components/schemas/PayloadLocationCob" }] } },
          },
          {
            type: "object",
            properties: { status: { type: "string", enum: ["REMOVIDA_PELO_USUARIO_RECEBEDOR"] } },
          },
          { type: "object", properties: { valor: { $ref: "#/components/schemas/CobVValor" } } },
          { $ref: "#/components/schemas/CobBase" },
        ],
      },
      RecBase: {
        type: "object",
        required: ["calendario", "vinculo"], // FIX: published as [idRec, calendario, vinculo, retentativa]
        properties: {
          vinculo: {
            type: "object",
            required: ["contrato", "devedor"],
            properties: {
              objeto: { type: "string", maxLength: 35 },
              devedor: {
                oneOf: [
                  { $ref: "#/components/schemas/PessoaFisicaRecorrencia" },
                  { $ref: "#/components/schemas/PessoaJuridicaRecorrencia" },
                ],
              },
              contrato: { type: "string", maxLength: 35 },
            },
          },
          calendario: {
            type: "object",
            required: ["dataInicial", "periodicidade"],
            properties: {
              dataInicial: { type: "string", format: "date" },
              dataFinal: { type: "string", format: "date" },
              periodicidade: {
                type: "string",
                enum: ["SEMANAL", "MENSAL", "TRIMESTRAL", "SEMESTRAL", "ANUAL"],
              },
            },
          },
          valor: {
            type: "object",
            properties: { valorRec: decimal, valorMinimoRecebedor: decimal },
          },
        },
      },
      RecConfiguracao: {
        type: "object",
        required: ["politicaRetentativa"],
        properties: { politicaRetentativa: { type: "string", enum: ["NAO_PERMITE", "PERMITE_3R_7D"] } },
      },
      RecAtivacaoSolicitada: {
        type: "object",
        properties: {
          ativacao: {
            type: "object",
            properties: {
              dadosJornada: {
                type: "object",
                oneOf: [
                  {
                    type: "object",
                    required: ["txid"],
                    properties: { txid: { $ref: "#/components/schemas/TxId" } },
                  },
                ],
              },
            },
          },
        },
      },
      RecSolicitada: {
        type: "object",
        allOf: [
          { $ref: "#/components/schemas/RecBase" },
          {
            type: "object",
            properties: {
              recebedor: { type: "object", properties: { convenio: { type: "string", maxLength: 60 } } },
            },
          },
          { $ref: "#/components/schemas/RecConfiguracao" },
          {
            type: "object",
            properties: { loc: { allOf: [{ $ref: "#/components/schemas/PayloadLocationRecId" }] } },
          },
          { $ref: "#/components/schemas/RecAtivacaoSolicitada" },
        ],
      },
      CobRBase: {
        type: "object",
        required: ["ajusteDiaUtil"],
        properties: {
          infoAdicional: { type: "string", maxLength: 140 },
          calendario: {
            type: "object",
            required: ["dataDeVencimento"],
            properties: { dataDeVencimento: { type: "string", format: "date" } },
          },
          valor: { type: "object", required: ["original"], properties: { original: decimal } },
          ajusteDiaUtil: { type: "boolean", default: true },
          recebedor: { allOf: [{ $ref: "#/components/schemas/DadosBancariosRecebedor" }] },
        },
      },
      CobRSolicitada: {
        type: "object",
        required: ["idRec", "calendario", "valor", "recebedor"],
        allOf: [
          { type: "object", properties: { idRec: { $ref: "#/components/schemas/RecId" } } },
          { $ref: "#/components/schemas/CobRBase" },
          { $ref: "#/components/schemas/DadosDevedorRecorrencia" },
        ],
      },
      CobRStatusRevisada: {
        type: "object",
        properties: { status: { type: "string", enum: ["CANCELADA"] } },
      },
      CobRRevisada: { type: "object", allOf: [{ $ref: "#/components/schemas/CobRStatusRevisada" }] },
    },
  },
} as const;
