import { z } from 'zod';
import { caseCommandSchemas, reviewCommandSchemas } from '../../machines';
import { COMMAND_LABELS } from '../../machines/shared/dictionary';

/**
 * The command bodies as /openapi.json documents them: one schema per command (its payload from
 * the machines' own schemas, plus `type` and `expectedVersion`), united on `type`. The route
 * validates the envelope and the service the payload, with these same payload schemas.
 */
const expectedVersion = z
  .number()
  .int()
  .min(0)
  .optional()
  .describe('The version the caller saw; a different current version answers 409 version_conflict');

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

type Shaped = { shape: z.ZodRawShape };

function commandUnion(prefix: 'Case' | 'Review', schemas: Record<string, z.ZodType>, unionId: string) {
  const members = Object.entries(schemas).map(([type, schema]) =>
    z
      .object({ type: z.literal(type), expectedVersion, ...(schema as unknown as Shaped).shape })
      .meta({ id: `${prefix}${pascal(type)}Command`, description: `${COMMAND_LABELS[type as keyof typeof COMMAND_LABELS] ?? type} (\`${type}\`)` }),
  );
  return z.discriminatedUnion('type', members as unknown as [z.ZodObject, ...z.ZodObject[]]).meta({ id: unionId });
}

export const caseCommandBody = commandUnion('Case', caseCommandSchemas, 'CaseCommand');
export const reviewCommandBody = commandUnion('Review', reviewCommandSchemas, 'ReviewCommand');
