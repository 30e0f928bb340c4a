package org.datacoop.sdk.contribute;

import java.util.Optional;
import java.util.OptionalLong;
import org.datacoop.protocol.Address;

/**
 * The outcome of {@link Contributor#contribute}.
 *
 * @param url where the encrypted file is served (registered on-chain)
 * @param checksum SHA-256 of the encrypted file, hex
 * @param validator the validator the job was assigned to, which holds the wrapped key
 * @param alreadyRegistered whether the file was registered before this call (nothing registered twice)
 * @param registerTx the transaction that registered the file; empty when it was registered before
 * @param feeTx the transaction that paid the validation fee ({@code requestContributionProof}); empty
 *     when an open or proved job was found
 * @param keyShareTx the transaction that shared the key with the validator; empty when it was shared before
 * @param requestNonce the nonce of the signed {@code /RunProof} that gave the validator the env vars
 *     and secrets; empty when none was sent
 * @param keyWithheld why the key was not shared with the job's validator (its owner revoked it from
 *     that validator before); empty when the validator holds it
 */
public record Contribution(
        long fileId,
        long jobId,
        long dlpId,
        String url,
        String checksum,
        Address owner,
        Address validator,
        boolean alreadyRegistered,
        Optional<String> registerTx,
        Optional<String> feeTx,
        Optional<String> keyShareTx,
        OptionalLong requestNonce,
        Optional<String> keyWithheld) {}
