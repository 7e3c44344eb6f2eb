import type { RouteDef } from '../route';
import { adminRoutes } from './admin';
import { caseRoutes } from './cases';
import { opsRoutes } from './ops';
import { reviewRoutes } from './reviews';
import { statsRoutes } from './stats';

/** Every route of the API, in the order /openapi.json lists them. */
export function allRoutes(): RouteDef<any, any>[] {
  return [...adminRoutes, ...caseRoutes, ...reviewRoutes, ...opsRoutes, ...statsRoutes] as RouteDef<any, any>[];
}
