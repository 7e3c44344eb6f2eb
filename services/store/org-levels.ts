/** The levels of the org tree, top down: the one list the records, the request schemas and the type come from. */
export const ORG_LEVELS = ['province', 'prefecture', 'county', 'township', 'village'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];
