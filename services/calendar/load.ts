/**
 * Builds the process's calendar at start-up: the package data, then every `<year>.json` in the config
 * directory, then the years administrators stored in the database (newest word wins).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCalendarFile, CalendarDataError, type CalendarYearInput } from './year-data';
import { WorkCalendar } from './work-calendar';

const YEAR_FILE = /^(\d{4})\.json$/;

export interface LoadCalendarOptions {
  /** Directory of `<year>.json` override files (other files, e.g. README.md, are ignored). */
  dir: string;
  /** Years supplied at run time (the store's `calendars`); they replace a file of the same year. */
  years?: CalendarYearInput[];
  extendToWorkday?: boolean;
}

/** Reads and validates every override file; throws CalendarDataError naming the bad file. */
export async function readCalendarDir(dir: string): Promise<CalendarYearInput[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new CalendarDataError(`calendar directory ${dir} cannot be read: ${(err as Error).message}`, dir, []);
  }
  const files = names.filter((n) => YEAR_FILE.test(n)).sort();
  return Promise.all(files.map((name) => readYearFile(join(dir, name), Number(YEAR_FILE.exec(name)![1]))));
}

async function readYearFile(path: string, fileYear: number): Promise<CalendarYearInput> {
  let content: unknown;
  try {
    content = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    const issue = { path: '(file)', message: `not readable JSON: ${(err as Error).message}` };
    throw new CalendarDataError(`invalid calendar data in ${path}:\n  ${issue.message}`, path, [issue]);
  }
  return parseCalendarFile(content, path, fileYear);
}

/** The calendar from `dir` plus run-time `years`. */
export async function loadCalendar(options: LoadCalendarOptions): Promise<WorkCalendar> {
  const fromFiles = await readCalendarDir(options.dir);
  const calendar = new WorkCalendar({ years: fromFiles, extendToWorkday: options.extendToWorkday });
  for (const y of options.years ?? []) calendar.setYear(y.year, y, `stored calendar year ${y.year}`);
  return calendar;
}
