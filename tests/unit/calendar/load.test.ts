import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CalendarDataError, WorkCalendar, loadCalendar, parseCalendarFile } from '../../../services/calendar';

const repoCalendarDir = join(__dirname, '../../../config/calendar');

describe('calendar loading', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'calendar-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = (name: string, content: unknown) =>
    writeFile(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));

  describe('loadCalendar', () => {
    it('when the directory holds a 2027.json, then a count into 2027 uses it and is certain', async () => {
      // Fictional 2027 data: the real arrangement is not published yet.
      await write('2027.json', { year: 2027, holidays: ['2027-01-01'], workdays: [] });
      const calendar = await loadCalendar({ dir });
      expect(calendar.knowsYear(2027)).toBe(true);
      expect(calendar.addWorkingDays('2026-12-28', 5)).toEqual({ date: '2027-01-05', uncertain: false });
    });

    it('when other files are present, then only <year>.json files are read', async () => {
      await write('README.md', '# not json');
      await write('example.json.txt', '{ broken');
      await write('2027.json.bak', '{ broken');
      const calendar = await loadCalendar({ dir });
      expect(calendar.overrideYears()).toEqual([]);
    });

    it('when run-time years are given, then they replace a file of the same year', async () => {
      await write('2027.json', { year: 2027, holidays: ['2027-01-01'], workdays: [] });
      const calendar = await loadCalendar({ dir, years: [{ year: 2027, holidays: [], workdays: ['2027-01-02'] }] });
      expect(calendar.isWorkday('2027-01-01')).toBe(true);
      expect(calendar.isWorkday('2027-01-02')).toBe(true);
    });

    it('when the repository config directory is loaded, then it ships no override year', async () => {
      const calendar = await loadCalendar({ dir: repoCalendarDir });
      expect(calendar.overrideYears()).toEqual([]);
      expect(calendar.knowsYear(2027)).toBe(false);
    });

    it('when extendToWorkday is passed, then the calendar uses it', async () => {
      const calendar = await loadCalendar({ dir, extendToWorkday: false });
      expect(calendar.addDays('2026-07-03', 90).date).toBe('2026-10-01');
    });
  });

  describe('bad override files', () => {
    it('when a file is not JSON, then loading fails naming the file', async () => {
      await write('2027.json', '{ "year": 2027, ');
      await expect(loadCalendar({ dir })).rejects.toThrow(new RegExp(`${escape(join(dir, '2027.json'))}[\\s\\S]*not readable JSON`));
    });

    it('when the year inside differs from the file name, then loading fails naming both', async () => {
      await write('2027.json', { year: 2028, holidays: [], workdays: [] });
      await expect(loadCalendar({ dir })).rejects.toThrow(/2027\.json[\s\S]*year: file is named for 2027 but says 2028/);
    });

    it('when a date lies outside the year, then loading fails naming the file and the date', async () => {
      await write('2027.json', { year: 2027, holidays: ['2027-01-01', '2028-01-01'], workdays: [] });
      const error = await loadCalendar({ dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CalendarDataError);
      expect((error as CalendarDataError).source).toBe(join(dir, '2027.json'));
      expect((error as CalendarDataError).message).toMatch(/holidays\.1: 2028-01-01 is not in 2027/);
    });

    it('when a date is both holiday and workday, then loading fails', async () => {
      await write('2027.json', { year: 2027, holidays: ['2027-01-02'], workdays: ['2027-01-02'] });
      await expect(loadCalendar({ dir })).rejects.toThrow(/2027\.json[\s\S]*both as holiday and as workday/);
    });

    it('when a field is misspelt or missing, then loading fails', async () => {
      await write('2027.json', { year: 2027, holiday: ['2027-01-01'], workdays: [] });
      await expect(loadCalendar({ dir })).rejects.toThrow(/2027\.json[\s\S]*holidays/);
    });

    it('when a date is malformed, then loading fails', async () => {
      await write('2027.json', { year: 2027, holidays: ['2027-1-1'], workdays: [] });
      await expect(loadCalendar({ dir })).rejects.toThrow(/holidays\.0: must be a real date/);
    });

    it('when the directory does not exist, then loading fails naming it', async () => {
      await expect(loadCalendar({ dir: join(dir, 'missing') })).rejects.toThrow(/calendar directory .*missing cannot be read/);
    });
  });

  describe('example.json.txt', () => {
    it('when the shipped example is parsed, then it is valid and equals the package data for 2026', async () => {
      const path = join(repoCalendarDir, 'example.json.txt');
      const example = parseCalendarFile(JSON.parse(await readFile(path, 'utf8')), path);
      const fromExample = new WorkCalendar({ years: [example] });
      const fromPackage = new WorkCalendar();
      for (let d = Date.UTC(2026, 0, 1); d < Date.UTC(2027, 0, 1); d += 86_400_000) {
        const date = new Date(d).toISOString().slice(0, 10);
        expect([date, fromExample.isWorkday(date)]).toEqual([date, fromPackage.isWorkday(date)]);
      }
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
