/**
 * A 提醒谈话 that is the first-form measure of a case (issue 18 §2) is recorded in the talks ledger
 * with the case it belongs to and counted once in the four forms, there: recording the talk adds
 * nothing to the statistics. The case must be one the recorder may read.
 */
import { SUBJECT, withOrgChart } from '../helpers/fixtures';
import { driver, expectProblem, type View } from '../helpers/drive';
import { startTestSystem, type TestSystem } from '../helpers/system';
import { todayCst } from '../helpers/dates';

let sys: TestSystem;
let caseId: string;

const reminderTalk = (over: Record<string, unknown> = {}) => ({
  kind: 'reminder',
  heldOn: todayCst(),
  talker: { personId: 'p-wu', name: '吴正' },
  talkedTo: [{ personId: SUBJECT.personId, name: SUBJECT.name, orgId: SUBJECT.orgId }],
  topics: ['逢年过节收受礼金问题的提醒'],
  ...over,
});

const form1 = async () => {
  const res = await (await sys.as('head1')).get('/api/v1/stats/four-forms?orgId=county');
  expect(res.status).toBe(200);
  return { total: res.body.total as number, form1: res.body.forms.find((f: View) => f.form === 1).personTimes as number };
};

beforeAll(async () => {
  sys = await startTestSystem({ workers: false });
  await withOrgChart(sys);
  const d = driver(sys);
  // A talk inquiry closed with a 谈话提醒 (first form) for the subject.
  caseId = (await d.caseIn('talkInquiry.replied')).id;
  await d.caseCmd(caseId, 'inspector1', { type: 'proposeInquiryOutcome', outcome: 'firstForm', measures: [{ personId: SUBJECT.personId, measure: 'reminderTalk' }], reason: '问题轻微，予以谈话提醒' });
  const closed = await d.approvePending('case', caseId);
  expect(closed.state).toBe('closed');
}, 120_000);

afterAll(async () => {
  await sys.stop();
}, 60_000);

describe('提醒谈话 as a first-form measure', () => {
  it('when the reminder talk of the case is recorded, then the four forms count the person once, as before', async () => {
    const before = await form1();
    expect(before).toEqual({ total: 1, form1: 1 });
    const res = await (await sys.as('head1')).post('/api/v1/talks', reminderTalk({ firstFormCaseId: caseId }));
    expect(res.status).toBe(201);
    expect(res.body.firstFormCaseId).toBe(caseId);
    expect(await form1()).toEqual(before);
  });

  it('when the case named does not exist or is outside the recorder’s scope, then 400 on firstFormCaseId and nothing is recorded', async () => {
    const listed = async () => (await (await sys.as('head1')).get('/api/v1/talks?pageSize=200')).body.total as number;
    const before = await listed();
    const missing = await (await sys.as('head1')).post('/api/v1/talks', reminderTalk({ firstFormCaseId: 'no-such-case' }));
    expectProblem(missing, 400, 'validation_failed');
    expect(missing.body.errors.map((e: View) => e.path)).toEqual(['firstFormCaseId']);
    // A township inspector may not name the county's case.
    const outside = await (await sys.as('towninspector')).post('/api/v1/talks', reminderTalk({ firstFormCaseId: caseId }));
    expectProblem(outside, 400, 'validation_failed');
    expect(outside.body.errors.map((e: View) => e.path)).toEqual(['firstFormCaseId']);
    expect(await listed()).toBe(before);
  });
});
