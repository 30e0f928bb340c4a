/** The validator node: jobs found on-chain, the enclave port, programs, attestations and proofs. */
package org.datacoop.node;
