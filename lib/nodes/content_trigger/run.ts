export { triggerRunner as contentTriggerRunner } from "../shared/trigger-runner";
