export { startSchedules, type RunningSchedules, type StartSchedulesOptions } from './start-schedules.ts';
export type { BillingSchedule, SchedulePeriod } from '../billing-config/billing-config.ts';
