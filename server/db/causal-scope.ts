import { AsyncLocalStorage } from "node:async_hooks";

// Marks the work of a member's request, so that on a Galera node its reads wait for the node to
// have applied everything the cluster committed before (the member may have written through another instance).
const memberScope = new AsyncLocalStorage<true>();

/** Runs the rest of a member's request inside the member scope. */
export function runAsMember<T>(work: () => Promise<T>): Promise<T> {
  return memberScope.run(true, work);
}

/** True inside runAsMember. */
export function inMemberScope(): boolean {
  return memberScope.getStore() === true;
}
