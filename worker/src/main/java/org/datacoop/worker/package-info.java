/**
 * The compute worker inside a validator (TEE mode): {@link org.datacoop.worker.TaskWorker} finds the
 * tasks the TaskCoordinator assigned to this validator and {@link org.datacoop.worker.TaskExecution}
 * runs each to a proof or a failure with its reason.
 */
package org.datacoop.worker;
