package org.datacoop.node.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.datacoop.chain.Wallet;
import org.junit.jupiter.api.Test;

class AttestationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void signsTheSortedCompactJsonSoAnyoneRecoversTheProver() throws Exception {
        Wallet prover = Wallet.create();
        ObjectNode fields = (ObjectNode) JSON.readTree("{\"subject\": {\"url\": \"u\", \"file_id\": 3}, \"prover\": {\"type\": \"self-signed\"}}");
        Attestation attestation = Attestation.sign(fields, prover);

        assertThat(Attestation.canonical(fields))
                .isEqualTo("{\"prover\":{\"type\":\"self-signed\"},\"subject\":{\"file_id\":3,\"url\":\"u\"}}");
        Attestation stored = Attestation.parse(attestation.toJson());
        assertThat(stored).isEqualTo(attestation);
        assertThat(stored.recoverSigner()).isEqualTo(prover.address());
    }

    @Test
    void aChangedFieldRecoversToSomeoneElse() throws Exception {
        Wallet prover = Wallet.create();
        ObjectNode fields = (ObjectNode) JSON.readTree("{\"proof\": {\"score\": 0.2}}");
        Attestation attestation = Attestation.sign(fields, prover);
        ObjectNode changed = fields.deepCopy();
        ((ObjectNode) changed.get("proof")).put("score", 0.9);
        assertThat(new Attestation(changed, attestation.signature()).recoverSigner()).isNotEqualTo(prover.address());
    }

    @Test
    void refusesDocumentsThatAreNotAttestations() {
        assertThatThrownBy(() -> Attestation.parse("{\"signed_fields\": {}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signature");
        assertThatThrownBy(() -> Attestation.parse("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
    }
}
