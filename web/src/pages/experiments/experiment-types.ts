/** The API's experiment shapes as the pages read them (see src/modules/experiments/experiment.ts). */
export type {
  Comparison,
  Experiment,
  ExperimentResults,
  TCreateExperiment,
} from "../../../../src/modules/experiments/experiment.ts";

/** What the pages need of `GET /v1/policies`: an experiment names its réguas by id. */
export interface PolicyName {
  id: string;
  name: string;
  active: boolean;
}
