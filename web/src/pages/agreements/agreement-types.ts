import type {
  AgreementOverview,
  AgreementPreview,
  AgreementSimulation,
} from "../../../../src/modules/agreements/agreement.ts";

/** A route's output as it arrives over JSON: instants (Date on the server) are ISO strings. */
export type Json<T> = T extends Date
  ? string
  : T extends (infer Item)[]
    ? Json<Item>[]
    : T extends object
      ? { [Key in keyof T]: Json<T[Key]> }
      : T;

export type AgreementOverviewView = Json<AgreementOverview>;
export type AgreementPreviewView = Json<AgreementPreview>;
export type AgreementSimulationView = Json<AgreementSimulation>;
