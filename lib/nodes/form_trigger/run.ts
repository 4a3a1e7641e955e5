export { triggerRunner as formTriggerRunner } from "../shared/trigger-runner";
