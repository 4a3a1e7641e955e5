export { triggerRunner as webhookTriggerRunner } from "../shared/trigger-runner";
