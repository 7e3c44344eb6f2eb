import type { MakeHarness, StoreHarness } from '../../helpers/store';

/** A store shared by the tests of one block (each test uses its own ids). */
export interface Shared {
  readonly h: StoreHarness;
}

/** Opens one harness for the enclosing describe block and disposes of it afterwards. */
export function sharedHarness(make: MakeHarness, options: Parameters<MakeHarness>[0] = { auditHash: 'sm3' }): Shared {
  let h: StoreHarness | undefined;
  beforeAll(async () => {
    h = await make(options);
  });
  afterAll(async () => {
    await h?.dispose();
  });
  return {
    get h() {
      if (!h) throw new Error('harness not open');
      return h;
    },
  };
}
