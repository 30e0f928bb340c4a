/**
 * Traces of a task's run for the optimistic (OP) mode: the hashes of an algorithm's successive states,
 * from the task's inputs (state 0, as the Verifier's {@code initialStateOf} derives it) to its result
 * hash, committed as a Merkle root ({@link org.datacoop.compute.trace.Trace}). A dispute bisects two
 * parties' traces down to one step, which referees re-execute ({@link org.datacoop.compute.trace.Traces}
 * says what each step is).
 */
package org.datacoop.compute.trace;
