import type { Deps } from '../deps';

/** Demo cases across the lifecycle. */
export async function seedDemoCases(_deps: Deps): Promise<void> {
  // Filled in with the demo-data work of issue 6.
}
