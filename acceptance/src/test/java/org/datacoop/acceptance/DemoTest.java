package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.datacoop.acceptance.CoopProcess.coop;
import static org.datacoop.acceptance.CoopProcess.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code coop demo} as a newcomer runs it: the whole lifecycle, one rewarded contributor, two told why not. */
class DemoTest {
    @Test
    void theDemoRewardsTheValidContributorAndTellsTheOthersWhyNot() throws Exception {
        CoopProcess.Result demo = run(coop("demo", "--json"));
        assertThat(demo.exit()).as(demo.err()).isZero();
        JsonNode contributors = new ObjectMapper().readTree(demo.out()).path("contributors");
        assertThat(contributors).hasSize(3);

        JsonNode alice = contributors.get(0);
        assertThat(alice.path("reward").path("tokens").asText()).isEqualTo("100");
        assertThat(alice.path("balance").asText()).isEqualTo("100");
        JsonNode bob = contributors.get(1);
        assertThat(bob.path("balance").asText()).isEqualTo("0");
        assertThat(bob.path("reward").path("why").asText()).contains("duplicate of file " + alice.path("fileId").asLong());
        JsonNode carol = contributors.get(2);
        assertThat(carol.path("balance").asText()).isEqualTo("0");
        assertThat(carol.path("reward").path("why").asText()).contains("not JSON");

        assertThat(demo.err()).contains("Step 8. Summary").contains("verified");
    }
}
