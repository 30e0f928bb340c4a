package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.datacoop.acceptance.CoopProcess.coop;
import static org.datacoop.acceptance.CoopProcess.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code coop demo} as a newcomer runs it: the whole lifecycle, two rewarded contributors, two told
 * why not, a real query result computed from the refined contributions, and Alice's file's earnings
 * following its Data Anchoring Token to a new holder.
 */
class DemoTest {
    @Test
    void theDemoRewardsTheValidContributorsTellsTheOthersWhyNotAndAnswersAPaidQuery() throws Exception {
        CoopProcess.Result demo = run(coop("demo", "--json"));
        assertThat(demo.exit()).as(demo.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(demo.out());
        JsonNode contributors = summary.path("contributors");
        assertThat(contributors).hasSize(4);

        JsonNode alice = contributors.get(0);
        assertThat(alice.path("reward").path("tokens").asText()).isEqualTo("100");
        assertThat(alice.path("balance").asText()).isEqualTo("100");
        JsonNode bob = contributors.get(1);
        assertThat(bob.path("balance").asText()).isEqualTo("0");
        assertThat(bob.path("reward").path("why").asText()).contains("duplicate of file " + alice.path("fileId").asLong());
        JsonNode carol = contributors.get(2);
        assertThat(carol.path("balance").asText()).isEqualTo("0");
        assertThat(carol.path("reward").path("why").asText()).contains("not JSON");

        assertThat(contributors.get(3).path("reward").path("tokens").asText()).isEqualTo("80");

        // The query: 30 days of Alice's and 20 of Dave's, refined and summed; only their rows are paid.
        JsonNode query = summary.path("query");
        assertThat(query.path("refinedFiles").asLong()).isEqualTo(2);
        assertThat(query.path("columns").toString()).isEqualTo("[\"days\",\"total_steps\",\"avg_steps\",\"total_km\"]");
        assertThat(query.path("rows").get(0).get(0).asLong()).isEqualTo(50);
        assertThat(query.path("price").asText()).isEqualTo("10000000000000000");
        assertThat(query.path("deniedDepositLeft").asText()).isEqualTo("50000000000000000");
        assertThat(new BigInteger(query.path("aliceEarned").asText())).isEqualTo(new BigInteger("4200000000000000"));
        assertThat(new BigInteger(query.path("daveEarned").asText())).isEqualTo(new BigInteger("2800000000000000"));
        assertThat(query.has("bobEarned")).isFalse();

        // The compute step: a non-allowed algorithm refused unpaid, then a training proved and re-checked.
        JsonNode compute = summary.path("compute");
        assertThat(compute.path("balanceUnchangedAfterRefusal").asBoolean()).isTrue();
        assertThat(compute.path("verifyResult").asBoolean()).isTrue();
        assertThat(compute.path("verified").asBoolean()).isTrue();
        assertThat(compute.path("accuracy").asDouble()).as("distance separates the days above 8,000 steps").isGreaterThan(0.9);
        assertThat(new BigInteger(compute.path("contributorsCut").asText())).isPositive();

        // Alice sells her file's DAT: the next query's share for her rows is its new holder's, none of it hers.
        assertThat(new BigInteger(query.path("datHolderEarned").asText())).isEqualTo(new BigInteger("4200000000000000"));
        assertThat(query.path("aliceEarnedAfterSale").asText()).isEqualTo("0");

        // Alice proves how many of her days reached 8,000 steps (her export's 30 days: 6000 + day * 373 mod 5000),
        // and one day more is refused; the claim is on-chain.
        JsonNode claim = summary.path("claim");
        long days = java.util.stream.IntStream.range(0, 30).filter(day -> 6000 + (day * 373) % 5000 >= 8000).count();
        assertThat(claim.path("days").asLong()).isEqualTo(days);
        assertThat(claim.path("falseClaimRefused").asBoolean()).isTrue();
        assertThat(claim.path("recorded").asLong()).isEqualTo(1);

        assertThat(demo.err()).contains("Step 12. The builder trains").contains("Step 13. Alice sells her file's Data Anchoring Token")
                .contains("Step 14. Alice proves a claim about her data without showing it")
                .contains("the claim does not hold").contains("Step 15. Summary").contains("verified")
                .contains("no permission for column daily_steps.owner")
                .contains("does not allow algorithm builtin:linear-regression/v1");
    }
}
