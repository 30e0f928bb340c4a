package org.datacoop.query.engine;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.datacoop.protocol.query.RowsRead;

/**
 * What a query returned, and whose rows it read. It stays in the enclave: what of it may leave
 * before payment is its {@link #summary()}.
 *
 * @param rows each row's values as Java values (numbers, strings, booleans, or null; dates and
 *     times as ISO-8601 text)
 * @param rowsRead per refiner, the rows read of each file, for groups that were released
 * @param suppressedGroups groups left out because they covered fewer contributors than their DataDAO
 *     allows; not to be told as such (see {@link Summary#suppressedGroups()})
 * @param minGroupSize the largest minimum group size of the DataDAOs read (0 or 1: none)
 * @param suppressedCountWithheld whether the groups left out together cover fewer contributors than
 *     the minimum (none at all included), so that their number would tell about fewer than that
 */
public record QueryResult(List<String> columns, List<String> types, List<List<Object>> rows, List<RowsRead> rowsRead,
        long suppressedGroups, long minGroupSize, boolean suppressedCountWithheld) {

    /**
     * What may be told of a result without releasing it: the rows it returns, and how many groups
     * were left out only when those groups together cover at least the minimum number of contributors.
     * Otherwise a filter on one contributor ({@code WHERE owner = X AND ...}, grouped) would answer
     * "one group left out" or "none" and so tell, for free, whether that contributor matched it.
     *
     * @param suppressedGroups the groups left out, or empty when that count is withheld
     * @param notCharged why nothing is released and so nothing may be charged; empty when rows are
     */
    public record Summary(long rows, long minGroupSize, OptionalLong suppressedGroups, Optional<String> notCharged) {}

    public Summary summary() {
        OptionalLong told = suppressedCountWithheld ? OptionalLong.empty() : OptionalLong.of(suppressedGroups);
        return new Summary(rows.size(), minGroupSize, told, nothingReleased(told));
    }

    /**
     * A result with no row, or one whose rows read no file (an aggregate over rows no filter let
     * through), gives the builder nothing but "nothing matched". Under a minimum group size,
     * "nothing matched" and "too few matched" read alike unless the groups left out may be counted.
     */
    private Optional<String> nothingReleased(OptionalLong told) {
        if (!rows.isEmpty() && !rowsRead.isEmpty()) {
            return Optional.empty();
        }
        String minimum = minGroupSize + " contributors (the DataDAO's minimum group size)";
        if (minGroupSize <= 1) {
            return Optional.of("the query matches no rows, so it returns nothing and is not charged");
        }
        if (told.isPresent() && told.getAsLong() > 0) {
            return Optional.of("all " + told.getAsLong() + " groups of the query cover fewer than " + minimum
                    + " and are left out, so it returns nothing and is not charged");
        }
        return Optional.of("no group of the query covers at least " + minimum + ", so it returns nothing and is not"
                + " charged; how many groups fell below the minimum is not told, since together they cover fewer than "
                + minGroupSize + " contributors (or nothing matched)");
    }
}
