package org.datacoop.query.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.query.QueryPermission;
import org.datacoop.query.QueryException;
import org.junit.jupiter.api.Test;

class PermissionCheckTest {
    static final Address CALLER = Address.of("0xc0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0");
    static final Address OTHER = Address.of("0xd0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0");
    static final Address TOKEN = Address.of("0x7070707070707070707070707070707070707070");
    static final Address OTHER_TOKEN = Address.of("0x8080808080808080808080808080808080808080");

    private final QueryPlanner planner = new QueryPlanner(QueryPlannerTest.CATALOG);
    private final List<QueryPermission> permissions = new ArrayList<>();

    /** Adds an approved, unrevoked permission of {@link #CALLER} on refiner 1, priced in {@link #TOKEN}. */
    private QueryPermission grant(String table, String column, long price) {
        return add(CALLER, 1, table, column, price, TOKEN, true, false);
    }

    private QueryPermission add(Address grantee, long refinerId, String table, String column, long price, Address token,
            boolean approved, boolean revoked) {
        QueryPermission permission = new QueryPermission(permissions.size() + 1, grantee, refinerId, table, column,
                BigInteger.valueOf(price), token, approved, revoked);
        permissions.add(permission);
        return permission;
    }

    private PermissionCheck.Charge choose(String sql) {
        return PermissionCheck.choose(planner.plan(sql, 1, dlp -> 0), CALLER,
                refiner -> permissions.stream().filter(p -> p.refinerId() == refiner).toList());
    }

    private void assertDenied(String sql, String... named) {
        assertThatThrownBy(() -> choose(sql))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.code()).isEqualTo(QueryException.Code.NO_PERMISSION))
                .hasMessageContainingAll(named);
    }

    @Test
    void choosesTheCheapestPermissionCoveringAColumn() {
        grant("daily_steps", "steps", 5);
        QueryPermission cheap = grant("daily_steps", "steps", 3);
        grant("daily_steps", "", 4);

        PermissionCheck.Charge charge = choose("SELECT steps FROM daily_steps");

        assertThat(charge.permissions()).containsExactly(cheap);
        assertThat(charge.price()).isEqualTo(BigInteger.valueOf(3));
        assertThat(charge.token()).isEqualTo(TOKEN);
        assertThat(charge.ids()).containsExactly(cheap.id());
    }

    @Test
    void aTablePermissionCoversEveryColumn() {
        QueryPermission table = grant("daily_steps", "", 10);
        grant("daily_steps", "steps", 1);

        PermissionCheck.Charge charge = choose("SELECT * FROM daily_steps");

        assertThat(charge.permissions()).containsExactly(table);
        assertThat(charge.price()).isEqualTo(BigInteger.TEN);
    }

    @Test
    void aPermissionOnEveryTableCoversEveryColumnOfTheRefiner() {
        QueryPermission everything = grant("", "", 7);

        assertThat(choose("SELECT * FROM daily_steps").permissions()).containsExactly(everything);
        assertThat(choose("SELECT count(*) FROM daily_steps").permissions()).containsExactly(everything);
    }

    @Test
    void choosesTheCheapestCoverOfSeveralColumns() {
        QueryPermission steps = grant("daily_steps", "steps", 1);
        QueryPermission day = grant("daily_steps", "day", 1);
        QueryPermission table = grant("daily_steps", "", 3);

        assertThat(choose("SELECT day, steps FROM daily_steps").permissions()).containsExactly(steps, day);
        assertThat(choose("SELECT day, steps FROM daily_steps").price()).isEqualTo(BigInteger.TWO);
        assertThat(choose("SELECT day, steps, distance_km FROM daily_steps").permissions()).containsExactly(table);

        QueryPermission cheaperTable = grant("daily_steps", "", 2);
        assertThat(choose("SELECT day, steps FROM daily_steps").permissions()).containsExactly(cheaperTable);
        QueryPermission everything = grant("", "", 1);
        assertThat(choose("SELECT day, steps FROM daily_steps").permissions()).containsExactly(everything);
    }

    @Test
    void doesNotChargeAPermissionAnotherOneCovers() {
        // the table permission is needed for day anyway, so the steps permission would be paid for nothing
        grant("daily_steps", "steps", 1);
        QueryPermission table = grant("daily_steps", "", 2);

        for (String sql : List.of("SELECT steps, day FROM daily_steps", "SELECT day, steps FROM daily_steps",
                "SELECT steps FROM daily_steps WHERE day > DATE '2026-01-01' AND distance_km > 1")) {
            PermissionCheck.Charge charge = choose(sql);
            assertThat(charge.permissions()).as(sql).containsExactly(table);
            assertThat(charge.price()).as(sql).isEqualTo(BigInteger.TWO);
        }
    }

    @Test
    void aGenericPermissionAppliesToAnyone() {
        QueryPermission generic = add(Address.ZERO, 1, "daily_steps", "steps", 2, TOKEN, true, false);

        assertThat(choose("SELECT steps FROM daily_steps").permissions()).containsExactly(generic);
    }

    @Test
    void ignoresUnapprovedRevokedAndOtherGranteesPermissions() {
        add(CALLER, 1, "daily_steps", "steps", 1, TOKEN, false, false);
        add(CALLER, 1, "daily_steps", "steps", 1, TOKEN, true, true);
        add(OTHER, 1, "daily_steps", "steps", 1, TOKEN, true, false);
        add(Address.ZERO, 1, "daily_steps", "steps", 1, TOKEN, true, true);
        add(CALLER, 2, "daily_steps", "steps", 1, TOKEN, true, false); // another refiner's table of the same name

        assertDenied("SELECT steps FROM daily_steps", "daily_steps.steps", "DataDAO 1", "refiner 1");

        QueryPermission usable = add(CALLER, 1, "daily_steps", "steps", 9, TOKEN, true, false);
        assertThat(choose("SELECT steps FROM daily_steps").permissions()).containsExactly(usable);
    }

    @Test
    void namesTheColumnWithoutPermission() {
        grant("daily_steps", "steps", 1);
        grant("daily_steps", "day", 1);
        grant("sleep", "", 1);

        assertDenied("SELECT steps, day, distance_km FROM daily_steps", "no permission for column daily_steps.distance_km");
        assertDenied("SELECT steps FROM daily_steps ORDER BY distance_km", "daily_steps.distance_km");
        assertDenied("SELECT steps FROM daily_steps WHERE owner = 'x'", "daily_steps.owner");
        assertDenied("SELECT * FROM daily_steps", "daily_steps.file_id");
    }

    @Test
    void countStarNeedsSomePermissionOnTheTable() {
        assertDenied("SELECT count(*) FROM daily_steps", "table daily_steps");

        add(CALLER, 1, "other_table", "", 1, TOKEN, true, false);
        assertDenied("SELECT count(*) FROM daily_steps", "table daily_steps");

        grant("daily_steps", "distance_km", 4);
        QueryPermission steps = grant("daily_steps", "steps", 2);
        PermissionCheck.Charge charge = choose("SELECT count(*) FROM daily_steps");
        assertThat(charge.permissions()).containsExactly(steps);
        assertThat(charge.price()).isEqualTo(BigInteger.TWO);
    }

    @Test
    void chargesEveryRefinerAJoinReads() {
        QueryPermission owner = grant("daily_steps", "owner", 1);
        QueryPermission day = grant("daily_steps", "day", 2);
        QueryPermission sleep = add(CALLER, 2, "sleep", "", 4, TOKEN, true, false);

        PermissionCheck.Charge charge = choose("SELECT a.day, s.hours FROM daily_steps a JOIN dlp2.sleep s ON a.owner = s.owner");

        assertThat(charge.permissions()).containsExactly(owner, day, sleep);
        assertThat(charge.price()).isEqualTo(BigInteger.valueOf(7));
        assertDenied("SELECT a.day, a.steps FROM daily_steps a JOIN dlp2.sleep s ON a.owner = s.owner", "daily_steps.steps");
    }

    @Test
    void listsThePermissionsInAscendingIdAsTheQueryEngineTakesThem() {
        add(CALLER, 2, "sleep", "hours", 1, TOKEN, true, false);
        add(CALLER, 2, "sleep", "owner", 1, TOKEN, true, false);
        grant("daily_steps", "steps", 1);
        grant("daily_steps", "owner", 1);

        PermissionCheck.Charge charge = choose("SELECT s.hours, a.steps FROM daily_steps a JOIN dlp2.sleep s USING (owner)");

        assertThat(charge.permissions()).extracting(QueryPermission::id).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void permissionsInDifferentTokensCannotBeMixed() {
        grant("daily_steps", "steps", 1);
        add(CALLER, 1, "daily_steps", "day", 1, OTHER_TOKEN, true, false);

        assertDenied("SELECT day, steps FROM daily_steps", "different tokens", TOKEN.value(), OTHER_TOKEN.value());
        assertThat(choose("SELECT steps FROM daily_steps").token()).isEqualTo(TOKEN);
        assertThat(choose("SELECT day FROM daily_steps").token()).isEqualTo(OTHER_TOKEN);
    }
}
