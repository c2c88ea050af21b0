/**
 * The hash version the planner stamps on hash partitionings. It must be the version of the one
 * hash function the workers use (runtime/shuffle/hash.ts), or co-partitioning would be claimed for
 * data that is not laid out alike; re-exported so the planner has a single place to read it.
 */
export { HASH_VERSION } from "../shuffle/hash.js";
