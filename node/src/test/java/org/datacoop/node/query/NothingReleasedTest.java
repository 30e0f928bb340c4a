package org.datacoop.node.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.datacoop.protocol.Address;
import org.datacoop.query.QueryException;
import org.datacoop.query.engine.QueryPlanner;
import org.datacoop.query.engine.QueryResult;
import org.datacoop.query.engine.RefinedStore;
import org.datacoop.query.refine.DeclarativeRefiner;
import org.datacoop.query.refine.RefinedWriter;
import org.datacoop.query.refine.RefinerDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the query service tells in a quote and what it refuses before charging, over the sample
 * table of two contributors under a minimum group size of 2: Alice walked on three days, Bob on
 * the first two.
 */
class NothingReleasedTest {
    private static final Address ALICE = Address.of("0xa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1");
    private static final Address BOB = Address.of("0xb0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    RefinerDefinition sample;
    RefinedStore store;

    @BeforeEach
    void setUp() throws IOException {
        try (InputStream definition = getClass().getResourceAsStream("/org/datacoop/chain/sample-refiner.json")) {
            sample = RefinerDefinition.parse(definition.readAllBytes());
        }
        store = new RefinedStore(root.resolve("load"));
        store.addRefiner(1, 1, sample.schema());
        store.load(1, 10, ALICE, refined(10, ALICE, "2026-10-01", "2026-10-02", "2026-10-03"));
        store.load(1, 11, BOB, refined(11, BOB, "2026-10-01", "2026-10-02"));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private Path refined(long fileId, Address owner, String... days) throws IOException {
        Path work = Files.createDirectories(root.resolve("work-" + fileId));
        String rows = String.join(",", List.of(days).stream().map(d -> "{\"date\": \"" + d + "\", \"steps\": 7000}").toList());
        Path input = Files.writeString(work.resolve("export.json"), "{\"days\": [" + rows + "]}");
        Path raw = Files.createDirectories(work.resolve("raw"));
        DeclarativeRefiner.refine(sample, List.of(input), raw);
        Path out = Files.createDirectories(store.loadDir().resolve("1-" + fileId));
        RefinedWriter.write(sample.schema(), raw, fileId, owner, out, 1000);
        return out;
    }

    private QueryResult run(String sql) {
        return store.run(new QueryPlanner(store).plan(sql, 1, dlp -> 2), 1000);
    }

    /** The quote's fields as text, to compare with JSON written in the test (whose numbers parse as ints). */
    private static String quoteBody(QueryResult result) {
        ObjectNode body = JSON.createObjectNode();
        ResultJson.putExpected(body, result.summary());
        return body.toString();
    }

    @Test
    void aFullySuppressedQueryIsRefusedNamingTheMinimumAndTheGroupsBelowIt() throws IOException {
        QueryResult byOwner = run("SELECT owner, avg(steps) FROM daily_steps GROUP BY owner");

        assertThatThrownBy(() -> QueryService.requireSomethingReleased(byOwner))
                .isInstanceOfSatisfying(QueryException.class,
                        e -> assertThat(e.code()).isEqualTo(QueryException.Code.NOTHING_RELEASED))
                .hasMessage("all 2 groups of the query cover fewer than 2 contributors (the DataDAO's minimum group size)"
                        + " and are left out, so it returns nothing and is not charged");
        assertThat(quoteBody(byOwner)).isEqualTo(JSON.readTree("""
                {"rows": 0, "min_group_size": 2, "suppressed_groups": 2, "chargeable": false,
                 "reason": "all 2 groups of the query cover fewer than 2 contributors (the DataDAO's minimum group size)\
                 and are left out, so it returns nothing and is not charged"}""").toString());
    }

    @Test
    void aQueryWhoseGroupsMeetTheMinimumIsChargeableAndTellsNoCountAboutOneContributor() throws IOException {
        // day 3 is Alice's alone: its group is left out, and so is the count of groups left out
        QueryResult byDay = run("SELECT day, avg(steps) FROM daily_steps GROUP BY day");

        assertThatCode(() -> QueryService.requireSomethingReleased(byDay)).doesNotThrowAnyException();
        assertThat(quoteBody(byDay)).isEqualTo(JSON.readTree("""
                {"rows": 2, "min_group_size": 2, "suppressed_groups": null, "chargeable": true}""").toString());
        JsonNode result = JSON.readTree(ResultJson.toJson(byDay));
        assertThat(result.path("rows")).hasSize(2);
        assertThat(result.path("suppressed_groups").isNull()).isTrue();
    }

    @Test
    void aFilterOnOneContributorIsRefusedAlikeWhetherItMatchesOrNot() {
        String matches = "SELECT day, count(*) FROM daily_steps WHERE owner = '" + ALICE.value() + "' AND day = '2026-10-03'"
                + " GROUP BY day";
        QueryResult matched = run(matches);
        QueryResult none = run(matches.replace("2026-10-03", "2026-10-09"));

        assertThat(quoteBody(matched)).isEqualTo(quoteBody(none));
        assertThatThrownBy(() -> QueryService.requireSomethingReleased(matched))
                .hasMessageStartingWith("no group of the query covers at least 2 contributors");
        assertThatThrownBy(() -> QueryService.requireSomethingReleased(none))
                .hasMessageStartingWith("no group of the query covers at least 2 contributors");
    }
}
