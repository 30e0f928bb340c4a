package org.datacoop.node.attestation;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.FileProof;
import org.datacoop.protocol.storage.BlobId;
import org.datacoop.protocol.storage.StorageException;
import org.datacoop.storage.HttpBlobStore;

/**
 * Checks an attestation against the chain with nothing but the document and public chain data:
 * the signature recovers to the validator that recorded the proof, and the subject and proof
 * fields are those of the file and proof on-chain.
 */
public final class AttestationCheck {
    private AttestationCheck() {}

    /** The attestation stored at {@code proofUrl}, checked against the blob id its url names. */
    public static Attestation fetch(String proofUrl) {
        String id = proofUrl.substring(proofUrl.lastIndexOf('/') + 1);
        try (InputStream in = HttpBlobStore.fetch(proofUrl, new BlobId(id))) {
            return Attestation.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE, "cannot read the attestation at " + proofUrl
                    + ": " + e.getMessage(), e);
        }
    }

    /** What does not match, in words; empty when the attestation verifies. */
    public static List<String> mismatches(Attestation attestation, ContributedFile file, FileProof proof) {
        List<String> problems = new ArrayList<>();
        String signer;
        try {
            signer = attestation.recoverSigner().value();
        } catch (IllegalArgumentException e) {
            problems.add("the signature does not verify: " + e.getMessage());
            return problems;
        }
        expect(problems, "signer", signer, proof.validator().value());
        expect(problems, "prover.address", attestation.field("prover", "address").asText().toLowerCase(), proof.validator().value());
        expect(problems, "subject.file_id", attestation.field("subject", "file_id").asLong(), file.id());
        expect(problems, "subject.url", attestation.field("subject", "url").asText(), file.url());
        expect(problems, "subject.owner_address", attestation.field("subject", "owner_address").asText().toLowerCase(),
                file.owner().value());
        String encryptedChecksum = attestation.field("subject", "encrypted_file_checksum").asText();
        if (file.hasChecksum()) {
            expect(problems, "subject.encrypted_file_checksum", encryptedChecksum, file.checksum());
        } else if (!encryptedChecksum.matches("[0-9a-f]{64}")) {
            // Nothing registered to compare with: the validator states the hash of what it judged.
            problems.add("subject.encrypted_file_checksum is " + encryptedChecksum + ", not a SHA-256 in hex");
        }
        expect(problems, "job.job_id", attestation.field("job", "job_id").asLong(), proof.jobId());
        expect(problems, "proof.dlp_id", attestation.field("proof", "dlp_id").asLong(), proof.data().dlpId());
        expect(problems, "proof.program_digest", attestation.field("proof", "program_digest").asText(),
                proof.data().programDigest());
        BigDecimal score = new BigDecimal(attestation.field("proof", "score").asText("0")).movePointRight(18);
        expect(problems, "proof.score", score.toBigInteger(), proof.score());
        return problems;
    }

    private static void expect(List<String> problems, String field, Object attested, Object onChain) {
        if (!attested.equals(onChain)) {
            problems.add(field + " is " + attested + " in the attestation but " + onChain + " on-chain");
        }
    }
}
