import { DuplicateError, VersionConflictError } from '../../../services/store/port';
import * as f from './fixtures';
import type { Shared } from './shared';

/** Cases and reviews: CRUD, compare-and-set, list filters and paging, case numbers. */
export function describeAggregates(s: Shared): void {
  const store = () => s.h.store;

  describe('cases', () => {
    it('when a case is inserted, then get returns it unchanged and a second insert is a DuplicateError', async () => {
      const c = f.caseRecord(f.uid('org'), { assignees: ['u1', 'u2'], flags: ['suppressionRisk'], reporterSealed: 'c2VhbGVk', data: { subjects: [{ name: '李四' }] } });
      await store().cases.insert(c);
      expect(await store().cases.get(c.id)).toEqual(c);
      expect(await store().cases.get('no-such-case')).toBeNull();
      await expect(store().cases.insert(c)).rejects.toBeInstanceOf(DuplicateError);
    });

    it('when updated at the stored version, then the version is bumped; at a stale version, then VersionConflictError', async () => {
      const c = f.caseRecord(f.uid('org'));
      await store().cases.insert(c);
      const next = { ...c, state: 'dispositionReview', snapshot: { value: 'dispositionReview' }, title: '新标题', updatedAt: f.at(5) };
      await store().cases.update(next, 1);
      expect(await store().cases.get(c.id)).toEqual({ ...next, version: 2 });

      await expect(store().cases.update({ ...next, title: 'lost' }, 1)).rejects.toBeInstanceOf(VersionConflictError);
      await expect(store().cases.update({ ...c, id: 'no-such-case' }, 1)).rejects.toMatchObject({ code: 'version_conflict', aggregate: 'case' });
      expect((await store().cases.get(c.id))?.title).toBe('新标题');
    });

    it('when listing with filters, then state (exact or prefix), scope, assignee, overdue and q select the cases', async () => {
      const [a, b] = [f.uid('org'), f.uid('org')];
      const inProgress = f.caseRecord(a, { state: 'investigation.inProgress', assignees: ['u-x'], updatedAt: f.at(3), searchText: '王五 受贿 100%_真' });
      const investigation = f.caseRecord(a, { state: 'investigation', updatedAt: f.at(2) });
      const lookalike = f.caseRecord(b, { state: 'investigationX', updatedAt: f.at(1), assignees: ['u-x', 'u-y'] });
      for (const c of [inProgress, investigation, lookalike]) await store().cases.insert(c);
      await store().deadlines.insert(f.deadline(lookalike.id, b, { status: 'overdue' }));
      await store().deadlines.insert(f.deadline(inProgress.id, a, { status: 'open' }));
      const ids = async (filter: object) =>
        (await store().cases.list({ orgIds: [a, b], page: 1, pageSize: 50, ...filter })).items.map((c) => c.id);

      expect(await ids({})).toEqual([inProgress.id, investigation.id, lookalike.id]);
      expect(await ids({ state: 'investigation' })).toEqual([inProgress.id, investigation.id]);
      expect(await ids({ state: 'investigation.inProgress' })).toEqual([inProgress.id]);
      expect(await ids({ orgIds: [b] })).toEqual([lookalike.id]);
      expect(await ids({ orgIds: [] })).toEqual([]);
      expect(await ids({ assignee: 'u-x' })).toEqual([inProgress.id, lookalike.id]);
      expect(await ids({ assignee: 'u-y' })).toEqual([lookalike.id]);
      expect(await ids({ overdue: true })).toEqual([lookalike.id]);
      expect(await ids({ q: '王五' })).toEqual([inProgress.id]);
      expect(await ids({ q: '%_' })).toEqual([inProgress.id]);
      expect(await ids({ q: '100%' })).toEqual([inProgress.id]);
    });

    it('when listing by dualState (the effects reconciler), then only cases whose 一案双查 is in one of the states are listed', async () => {
      const o = f.uid('org');
      const opening = f.caseRecord(o, { dualState: 'opening', updatedAt: f.at(3) });
      const open = f.caseRecord(o, { dualState: 'open', updatedAt: f.at(2) });
      const concluded = f.caseRecord(o, { dualState: 'concluded', updatedAt: f.at(1) });
      const none = f.caseRecord(o, { dualState: 'notRequired', updatedAt: f.at(0) });
      for (const c of [opening, open, concluded, none]) await store().cases.insert(c);
      const list = (dualState: string[]) => store().cases.list({ orgIds: [o], dualState, page: 1, pageSize: 50 });
      const unsettled = await list(['opening', 'open']);
      expect({ ids: unsettled.items.map((c) => c.id), total: unsettled.total }).toEqual({ ids: [opening.id, open.id], total: 2 });
      expect((await list(['concluded'])).items.map((c) => c.id)).toEqual([concluded.id]);
      expect((await list([])).items).toEqual([]);
    });

    it('when paging, then pages follow updated_at descending and total counts every match', async () => {
      const o = f.uid('org');
      const cases = Array.from({ length: 5 }, (_, i) => f.caseRecord(o, { updatedAt: f.at(i) }));
      for (const c of cases) await store().cases.insert(c);
      const newestFirst = cases.map((c) => c.id).reverse();

      const p1 = await store().cases.list({ orgIds: [o], page: 1, pageSize: 2 });
      const p3 = await store().cases.list({ orgIds: [o], page: 3, pageSize: 2 });
      const p9 = await store().cases.list({ orgIds: [o], page: 9, pageSize: 2 });
      expect(p1).toMatchObject({ total: 5, page: 1, pageSize: 2 });
      expect(p1.items.map((c) => c.id)).toEqual(newestFirst.slice(0, 2));
      expect(p3.items.map((c) => c.id)).toEqual(newestFirst.slice(4));
      expect(p9).toEqual({ items: [], total: 5, page: 9, pageSize: 2 });
    });

    it('when numbers are drawn concurrently, then each org and year counts 1, 2, 3 … without gaps or repeats', async () => {
      const o = f.uid('org');
      const drawn = await Promise.all(Array.from({ length: 20 }, () => store().cases.nextNumber(o, 2026)));
      expect([...drawn].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await store().cases.nextNumber(o, 2027)).toBe(1);
      expect(await store().cases.nextNumber(f.uid('org'), 2026)).toBe(1);
    });

    it('when cases are inserted numbered in concurrent transactions, then they get <org>-<year>-0001 … without gaps, and a duplicate id draws none', async () => {
      const o = f.uid('org');
      const cases = Array.from({ length: 12 }, () => f.caseRecord(o, { number: 'ignored' }));
      const numbers = await Promise.all(cases.map((c) => store().transaction((tx) => tx.cases.insertNumbered(c, 2026))));
      expect([...numbers].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `${o}-2026-${String(i + 1).padStart(4, '0')}`));
      for (const [i, c] of cases.entries()) expect(await store().cases.get(c.id)).toEqual({ ...c, number: numbers[i] });

      await expect(store().transaction((tx) => tx.cases.insertNumbered(cases[0], 2026))).rejects.toBeInstanceOf(DuplicateError);
      const next = f.caseRecord(o);
      expect(await store().transaction((tx) => tx.cases.insertNumbered(next, 2026))).toBe(`${o}-2026-0013`);
      expect(await store().transaction((tx) => tx.cases.insertNumbered(f.caseRecord(o), 2027))).toBe(`${o}-2027-0001`);
    });
  });

  describe('reviews', () => {
    it('when a review is inserted and updated, then get, getByCaseAndKind and list return it', async () => {
      const o = f.uid('org');
      const caseId = f.uid('case');
      const primary = f.reviewRecord(o, caseId, { assignees: ['u1'], data: { findings: null } });
      const supervision = f.reviewRecord(o, caseId, { kind: 'supervision', target: 'disciplineBody', state: 'startApproval', updatedAt: f.at(1) });
      await store().reviews.insert(primary);
      await store().reviews.insert(supervision);
      const moved = { ...primary, state: 'investigating', updatedAt: f.at(2) };
      await store().reviews.update(moved, 1);

      expect(await store().reviews.get(primary.id)).toEqual({ ...moved, version: 2 });
      expect(await store().reviews.getByCaseAndKind(caseId, 'supervision')).toEqual(supervision);
      expect(await store().reviews.getByCaseAndKind('no-case', 'primary')).toBeNull();
      const list = (filter: object) => store().reviews.list({ orgIds: [o], page: 1, pageSize: 10, ...filter });
      expect((await list({ caseId })).items.map((r) => r.id)).toEqual([primary.id, supervision.id]);
      expect((await list({ kind: 'supervision' })).items).toEqual([supervision]);
      expect((await list({ state: 'investigating' })).total).toBe(1);
      await expect(store().reviews.update(moved, 1)).rejects.toBeInstanceOf(VersionConflictError);
    });

    it('when listing for a viewer, then cases and reviews of cases the viewer is recused from are left out of items and total', async () => {
      const o = f.uid('org');
      const context = (recusals: object[], subjects: object[]) => ({ value: { lifecycle: 'registered' }, context: { recusals, subjects } });
      const plain = f.caseRecord(o, { snapshot: context([], [{ personId: 'p-9', name: '王某' }]) });
      const declared = f.caseRecord(o, { snapshot: context([{ userId: 'u-1', reason: '亲属' }], []) });
      const byPerson = f.caseRecord(o, { snapshot: context([], [{ personId: 'p-1', name: '李某' }]) });
      const byName = f.caseRecord(o, { snapshot: context([], [{ personId: 'p-7', name: '张三' }]) });
      const cases = [plain, declared, byPerson, byName];
      for (const c of cases) await store().cases.insert(c);
      for (const c of cases) await store().reviews.insert(f.reviewRecord(o, c.id));
      const viewer = { userId: 'u-1', personId: 'p-1', name: '张三' };

      const caseIds = await store().cases.list({ orgIds: [o], visibleTo: viewer, page: 1, pageSize: 1 });
      expect(caseIds).toMatchObject({ total: 1, items: [{ id: plain.id }] });
      const reviews = await store().reviews.list({ orgIds: [o], visibleTo: viewer, page: 1, pageSize: 1 });
      expect(reviews).toMatchObject({ total: 1, items: [{ caseId: plain.id }] });
      const noPerson = { ...viewer, userId: 'u-2', personId: null };
      expect((await store().reviews.list({ orgIds: [o], visibleTo: noPerson, page: 1, pageSize: 10 })).total).toBe(3);
      expect((await store().reviews.list({ orgIds: [o], caseId: byName.id, visibleTo: viewer, page: 1, pageSize: 10 })).total).toBe(0);
      expect((await store().reviews.list({ orgIds: [o], page: 1, pageSize: 10 })).total).toBe(4);
    });

    it('when a second review of the same kind is inserted for a case, then DuplicateError and the transaction can go on', async () => {
      const o = f.uid('org');
      const caseId = f.uid('case');
      await store().reviews.insert(f.reviewRecord(o, caseId));
      const other = f.reviewRecord(o, caseId, { kind: 'supervision' });
      await store().transaction(async (tx) => {
        await expect(tx.reviews.insert(f.reviewRecord(o, caseId))).rejects.toBeInstanceOf(DuplicateError);
        await tx.reviews.insert(other);
      });
      expect(await store().reviews.get(other.id)).toEqual(other);
    });
  });
}
