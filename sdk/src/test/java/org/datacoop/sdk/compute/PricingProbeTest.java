package org.datacoop.sdk.compute;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A task's row selection is priced as its aggregate twin: same tables, columns and filters, its text kept. */
class PricingProbeTest {
    @Test
    void aRowSelectionIsPricedWithEachColumnCountedAndItsFiltersKept() {
        assertThat(ComputeClient.pricingProbe("select distinct distance_km AS d, t.steps s, day FROM daily_steps t"
                + " WHERE day > '2026-10-01' AND owner <> 'x, FROM' ORDER BY steps LIMIT 5;"))
                .isEqualTo("SELECT count(\"distance_km\"), count(t.\"steps\"), count(\"day\") FROM daily_steps t"
                        + " WHERE day > '2026-10-01' AND owner <> 'x, FROM'");
    }

    @Test
    void aGroupedStarExpressionOrUnparsableSelectionIsPricedAsWritten() {
        for (String sql : new String[] {"SELECT owner, count(*) FROM daily_steps GROUP BY owner", "SELECT * FROM daily_steps",
            "SELECT round(distance_km, 1) FROM daily_steps", "SELECT steps + 1 FROM daily_steps", "not sql at all",
            "SELECT 1"}) {
            assertThat(ComputeClient.pricingProbe(sql)).isEqualTo(sql);
        }
    }
}
