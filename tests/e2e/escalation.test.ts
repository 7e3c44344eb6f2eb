/**
 * The escalation ladder end to end (API.md "Deadlines", ARCHITECTURE.md §5), on a clock of seconds
 * (`DEADLINE_OVERRIDES`): a clue left without a disposition goes overdue (assignees and the org's
 * supervisors told), then escalates to the parent org's commission head and is flagged 压案不查;
 * a disposition proposed in time closes the clock as met and nothing escalates.
 */
import { deadlineStepJobId } from '../../services/queues/rows';
import { driver, type Driver, type View } from '../helpers/drive';
import { withOrgChart } from '../helpers/fixtures';
import { eventually, startTestSystem, type TestSystem } from '../helpers/system';

const KEY = 'clue.disposition';
const RECONCILE_INTERVAL_MS = 500;

let sys: TestSystem;
let d: Driver;

beforeAll(async () => {
  sys = await startTestSystem({
    workers: true,
    env: {
      DEADLINE_OVERRIDES: JSON.stringify({ [KEY]: { due: 'PT2S', escalateAfter: 'PT2S' } }),
      RECONCILE_INTERVAL_MS: String(RECONCILE_INTERVAL_MS),
    },
  });
  await withOrgChart(sys);
  d = driver(sys);
}, 120_000);

afterAll(async () => {
  await sys.stop();
});

const clock = (view: View): View => view.deadlines.find((x: View) => x.key === KEY);

/** The caller's inbox notifications about `caseId`. */
async function noticesAbout(userId: string, caseId: string): Promise<View[]> {
  const res = await (await sys.as(userId)).get('/api/v1/inbox');
  expect(res.status).toBe(200);
  return res.body.notifications.filter((n: View) => n.aggregateType === 'case' && n.aggregateId === caseId);
}

async function systemEvents(caseId: string): Promise<View[]> {
  const res = await (await sys.as('registrar1')).get(`/api/v1/cases/${caseId}/history`);
  expect(res.status).toBe(200);
  return res.body.items.filter((e: View) => e.actor === 'system' && e.action === 'deadline.reached');
}

/** A fresh clue in `county` (parent `city`), assigned to inspector1; its clock starts at registration. */
async function assignedClue(): Promise<View> {
  const c = await d.register();
  expect(c.orgId).toBe('county');
  return d.caseCmd(c.id, 'manager1', { type: 'assign', inspectorIds: ['inspector1'] });
}

describe('deadline escalation ladder (workers/deadlines, end to end)', () => {
  describe(`${KEY} (DEADLINE_OVERRIDES: due PT2S, escalate after PT2S)`, () => {
    it('when no disposition is proposed in time, then the clock goes overdue, then escalates to the city commission head and the case is flagged 压案不查', async () => {
      const assigned = await assignedClue();
      expect(clock(assigned)).toMatchObject({ status: 'open', escalation: 'none' });

      // Overdue at due: status and step on the view, the assignee and the county's supervisor told.
      const overdue = await eventually(async () => {
        const v = await d.caseView(assigned.id);
        return clock(v).escalation !== 'none' ? v : null;
      }, 10_000, 25);
      expect(clock(overdue)).toMatchObject({ status: 'overdue', escalation: 'overdue' });
      expect(overdue.flags).not.toContain('suppressionRisk');
      for (const userId of ['inspector1', 'supervisor1']) {
        const notices = await noticesAbout(userId, assigned.id);
        expect(notices).toEqual([
          expect.objectContaining({ kind: 'deadline.overdue', title: expect.stringMatching(/^【逾期】.*问题线索处置意见已逾期/), body: expect.stringContaining('届满') }),
        ]);
        expect(notices[0].title).toContain(assigned.title);
      }

      // Escalated at due + 2 s: the parent org's commission head is told, the case flagged 压案不查.
      const escalated = await eventually(async () => {
        const v = await d.caseView(assigned.id);
        return clock(v).escalation === 'escalated' && v.flags.includes('suppressionRisk') ? v : null;
      }, 10_000, 25);
      expect(clock(escalated)).toMatchObject({ status: 'overdue', escalation: 'escalated' });
      expect(escalated.state).toBe('registered');
      expect(await noticesAbout('cityhead', assigned.id)).toEqual([
        expect.objectContaining({
          kind: 'deadline.escalated',
          title: expect.stringMatching(/^【升级督办】.*已逾期2秒/),
          body: expect.stringContaining('提请上一级纪委监委督办，防止压案不查'),
        }),
      ]);
      expect((await noticesAbout('head1', assigned.id)).filter((n) => n.kind === 'deadline.escalated')).toEqual([]);
      const supervisorInbox = (await (await sys.as('supervisor1')).get('/api/v1/inbox')).body;
      expect(supervisorInbox.overdue).toContainEqual(expect.objectContaining({ aggregate: 'case', id: assigned.id, key: KEY, status: 'overdue', escalation: 'escalated' }));

      // The system's two deadline.reached events are the only accepted changes since the assignment.
      const events = await eventually(async () => {
        const es = (await systemEvents(assigned.id)).filter((e) => e.outcome === 'accepted');
        return es.length >= 2 ? es : null;
      });
      expect(events).toHaveLength(2);
      expect((await d.caseView(assigned.id)).version).toBe(assigned.version + 2);
    });

    it('when the disposition is proposed before it falls due, then the clock closes as met and nothing escalates', async () => {
      const assigned = await assignedClue();
      const proposed = await d.caseCmd(assigned.id, 'inspector1', { type: 'proposeDisposition', method: 'talkInquiry', reason: '反映问题具体' });
      expect(proposed.state).toBe('dispositionReview');
      expect(Date.parse(proposed.updatedAt)).toBeLessThan(Date.parse(clock(proposed).dueAt));
      expect(clock(proposed)).toMatchObject({ status: 'met', escalation: 'none' });

      // The clock's one alarm (its next step's) still rings at its time and finds the clock closed;
      // the step after it never had one.
      const record = (await sys.deps.store.deadlines.listByAggregate('case', assigned.id)).find((r) => r.key === KEY)!;
      const jobId = deadlineStepJobId(record.id, 'overdue', record.steps.overdue!);
      const job = await eventually(async () => {
        const j = await sys.queues!.deadlines.getJob(jobId);
        return j && (await j.getState()) === 'completed' ? j : null;
      }, 10_000);
      expect(job.returnvalue).toEqual({ skipped: 'closed' });
      expect(await sys.queues!.deadlines.getJob(deadlineStepJobId(record.id, 'escalated', record.steps.escalated!))).toBeUndefined();
      // And the reconciler, which takes any due step a job missed, has passed over it too.
      await new Promise((resolve) => setTimeout(resolve, 2 * RECONCILE_INTERVAL_MS + 200));

      const after = await d.caseView(assigned.id);
      expect(clock(after)).toMatchObject({ status: 'met', escalation: 'none' });
      expect(after).toMatchObject({ state: 'dispositionReview', version: proposed.version, flags: [] });
      expect(await systemEvents(assigned.id)).toEqual([]);
      for (const userId of ['inspector1', 'supervisor1', 'cityhead']) {
        expect((await noticesAbout(userId, assigned.id)).filter((n) => n.kind.startsWith('deadline.'))).toEqual([]);
      }
    });
  });
});
