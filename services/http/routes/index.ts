import type { RouteDef } from '../route';
import { accountabilityRoutes } from './accountability';
import { adminRoutes } from './admin';
import { caseRoutes } from './cases';
import { notificationRoutes } from './notifications';
import { opsRoutes } from './ops';
import { rectificationRoutes } from './rectifications';
import { responsibilityRoutes } from './responsibility';
import { reviewRoutes } from './reviews';
import { statsRoutes } from './stats';
import { talkRoutes } from './talks';

/** Every route of the API, in the order /openapi.json lists them. */
export function allRoutes(): RouteDef<any, any>[] {
  return [...adminRoutes, ...caseRoutes, ...reviewRoutes, ...opsRoutes, ...notificationRoutes, ...statsRoutes, ...responsibilityRoutes, ...talkRoutes, ...rectificationRoutes, ...accountabilityRoutes] as RouteDef<any, any>[];
}
