/**
 * Deterministic algorithms over a compute task's selected rows (issue 12, LazAI's verified computing):
 * what a worker runs inside its enclave, and the hash it signs.
 *
 * <h2>For the worker</h2>
 * <ol>
 * <li>Resolve the task's algorithm digest: {@link org.datacoop.compute.builtin.Builtin#byDigest} for a
 *     built-in, or, for an external one the node fetched by digest,
 *     {@link org.datacoop.compute.external.ExternalAlgorithm#executable} /
 *     {@link org.datacoop.compute.external.ExternalAlgorithm#image} over the node's sandbox; check
 *     {@link org.datacoop.compute.Algorithm#digest()} against the on-chain allowlist.
 * <li>Write the task's selected rows as Parquet (DuckDB {@code COPY ... (FORMAT parquet)}) and build a
 *     {@link org.datacoop.compute.TaskInput} with the params JSON and, for {@code predict} and
 *     {@code evaluate}, the directory of the model a training task wrote.
 * <li>{@link org.datacoop.compute.Compute#run} into an empty directory: it returns the
 *     {@link org.datacoop.compute.ComputeResult} whose {@code resultHash}
 *     ({@link org.datacoop.compute.ResultHash}) the enclave signs; the directory is what gets encrypted
 *     to the requester. A {@link org.datacoop.compute.ComputeException} carries the reason to fail
 *     the task with.
 * </ol>
 *
 * <h2>Determinism</h2>
 * Rows are read in one total order ({@link org.datacoop.compute.data.Selection}); training runs on one
 * thread with the params' seed; outputs are written in canonical forms with every double as the
 * shortest decimal that reads back as the same bits; inference and metrics use {@link java.lang.StrictMath}.
 * The same task gives the same {@code resultHash}, whatever the order of its rows and in any JVM.
 */
package org.datacoop.compute;
