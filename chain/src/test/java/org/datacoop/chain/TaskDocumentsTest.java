package org.datacoop.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.datacoop.protocol.query.RowsRead;
import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

class TaskDocumentsTest {
    private static final String H1 = "0x" + "11".repeat(32);
    private static final String H2 = "0x" + "22".repeat(32);

    @Test
    void aReportDecodesToWhatWasEncoded() {
        TaskReport report = new TaskReport(H1, "0x" + "00".repeat(32), H2, H1, H2, "software", H1, 1_700_000_000L,
                List.of(new RowsRead(1, new TreeMap<>(java.util.Map.of(3L, 5L, 4L, 7L))),
                        new RowsRead(2, new TreeMap<>(java.util.Map.of(9L, 1L)))),
                "http://127.0.0.1:1/blobs/leaves", "http://127.0.0.1:1/blobs/out");
        TaskReport.Decoded decoded = TaskReport.decode(report.encode());
        assertThat(decoded.taskId()).isEqualTo(H1);
        assertThat(decoded.dataRoot()).isEqualTo(report.dataRoot());
        assertThat(decoded.enclaveType()).isEqualTo("software");
        assertThat(decoded.time()).isEqualTo(1_700_000_000L);
        assertThat(decoded.roots()).extracting(TaskReport.Root::refinerId, TaskReport.Root::totalRows)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 12L), org.assertj.core.groups.Tuple.tuple(2L, 1L));
        assertThat(decoded.roots().get(0).root()).isEqualTo(ReadsTree.of(report.reads().get(0)).root());
        assertThat(decoded.outputUrl()).isEqualTo("http://127.0.0.1:1/blobs/out");
        // The head of abi.encode(one dynamic struct) is the offset 0x20.
        assertThat(Numeric.toHexString(report.encode()).substring(2, 66)).isEqualTo("00".repeat(31) + "20");
    }

    @Test
    void garbageIsNotAReport() {
        assertThatThrownBy(() -> TaskReport.decode(new byte[40])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AttestationReport");
    }

    @Test
    void aSpecRoundTripsAndItsHashesAreTheChains() {
        byte[] key = new byte[65];
        key[0] = 4;
        TaskSpec spec = new TaskSpec(1, "SELECT 1", "builtin:predict/v1", "", key, Optional.of(new byte[] {1, 2}));
        TaskSpec read = TaskSpec.parse(spec.toJson());
        assertThat(read.params()).isEqualTo("{}");
        assertThat(read.model()).hasValueSatisfying(m -> assertThat(m).containsExactly(1, 2));
        assertThat(read.sqlHash()).isEqualTo(QueryRequestDigest.sqlHash(1, "SELECT 1"));
        assertThat(read.paramsHash()).isEqualTo(TaskSpec.paramsHash("{}")).isNotEqualTo(TaskSpec.paramsHash("{ }"));
    }

    @Test
    void aHostileSpecIsRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> TaskSpec.parse("[]".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> TaskSpec.parse("{\"version\":2}".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("version");
        assertThatThrownBy(() -> TaskSpec.parse(("{\"version\":1,\"dlpId\":1,\"sql\":\"s\",\"algorithm\":\"a\",\"params\":\"{}\","
                + "\"requesterPublicKey\":\"0x02aa\"}").getBytes(StandardCharsets.UTF_8))).hasMessageContaining("uncompressed");
        assertThatThrownBy(() -> TaskSpec.parse("{\"version\":1,\"dlpId\":1}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("no sql");
    }
}
