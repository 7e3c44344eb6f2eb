/**
 * The suite also runs under Debian's faketime (LD_PRELOAD of libfaketime) to prove it holds on any
 * date. Child processes that are part of the system under test (a started server) must see the same
 * moved clock; a redis-server started for a test must not: libfaketime breaks redis-server (its
 * allocator's clock calls recurse into libfaketime and it never starts), and Redis keeps no dates of
 * ours anyway.
 */
const FAKETIME_VAR = /^(LD_PRELOAD|FAKETIME.*|DONT_FAKE_MONOTONIC|NO_FAKE_TIME)$/;

/** The variables that carry a moved clock to a child (empty when the run is not under faketime). */
export function clockEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => FAKETIME_VAR.test(e[0]) && e[1] !== undefined));
}

/** This process's environment without a moved clock, for helper servers such as redis-server. */
export function realClockEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !FAKETIME_VAR.test(k)));
}
