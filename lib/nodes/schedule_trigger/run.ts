export { triggerRunner as scheduleTriggerRunner } from "../shared/trigger-runner";
