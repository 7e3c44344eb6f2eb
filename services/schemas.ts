/**
 * Field schemas every capability validates with (ids, texts, dates, paging). The same objects
 * generate /openapi.json, so a rule of a field is written once.
 */
import { z } from 'zod';

export const idSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, _ . - (≤ 64)');
export const text = (max = 10_000) => z.string().trim().min(1, 'must not be empty').max(max);
export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar date');
export const dateOrDateTime = z.union([dateSchema, z.iso.datetime({ offset: true })]);

export const pageNumber = z.coerce.number().int().min(1).max(100_000).default(1);
export const pageSize = z.coerce.number().int().min(1).max(200).default(20);
export const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
