/** Working-day calendar (ARCHITECTURE.md §7): the one entry point other services import. */
export {
  type CivilDate,
  isCivilDate,
  isMoment,
  cstDateOf,
  toCivilDate,
  cstMoment,
  endOfCstDay,
  toEpochMs,
} from './civil-date';
export {
  WorkCalendar,
  type DateResult,
  type PeriodOptions,
  type WorkCalendarOptions,
  type YearView,
} from './work-calendar';
export {
  CalendarDataError,
  arrangementSchema,
  calendarFileSchema,
  parseArrangement,
  parseCalendarFile,
  type CalendarYearInput,
  type YearArrangement,
} from './year-data';
export { loadCalendar, readCalendarDir, type LoadCalendarOptions } from './load';
