export { triggerRunner as manualTriggerRunner } from "../shared/trigger-runner";
