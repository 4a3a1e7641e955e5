export { triggerRunner as paymentTriggerRunner } from "../shared/trigger-runner";
