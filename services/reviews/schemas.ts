/** The review capability's request schemas. */
import { z } from 'zod';
import { idSchema, pageNumber, pageSize } from '../schemas';

export const reviewListQuery = z.strictObject({
  caseId: idSchema.optional(),
  kind: z.enum(['primary', 'supervision']).optional(),
  state: z.string().max(100).optional(),
  page: pageNumber,
  pageSize,
});
