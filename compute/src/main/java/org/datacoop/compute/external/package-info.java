/** A requester's own algorithm, an executable or an image, run in the node's sandbox over {@code /input}, writing {@code /output}. */
package org.datacoop.compute.external;
