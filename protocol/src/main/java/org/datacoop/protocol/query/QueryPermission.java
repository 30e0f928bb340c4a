package org.datacoop.protocol.query;

import java.math.BigInteger;
import org.datacoop.protocol.Address;

/**
 * Access to a refiner's table or column at a price, as the QueryEngine records it.
 *
 * @param id its number, from 1
 * @param grantee who may use it; the zero address for everyone (a generic permission)
 * @param table the table it covers; empty for every table of the refiner's schema
 * @param column the column it covers; empty for every column of the table
 * @param price what a query using it pays, in the smallest unit of {@code token}
 * @param token the payment token; the zero address for the chain's native coin
 * @param approved whether the DataDAO's owner approved it
 * @param revoked whether it was ended for good
 */
public record QueryPermission(
        long id,
        Address grantee,
        long refinerId,
        String table,
        String column,
        BigInteger price,
        Address token,
        boolean approved,
        boolean revoked) {

    /** Whether a query by {@code caller} may use it now. */
    public boolean usableBy(Address caller) {
        return approved && !revoked && (grantee.isZero() || grantee.equals(caller));
    }

    /** Whether it covers {@code column} of {@code tableName} (names compared without case, as SQL does). */
    public boolean covers(String tableName, String columnName) {
        return table.isEmpty()
                || (table.equalsIgnoreCase(tableName) && (column.isEmpty() || column.equalsIgnoreCase(columnName)));
    }

    /** What it covers, in words: {@code every table}, {@code table t} or {@code t.c}. */
    public String scope() {
        return table.isEmpty() ? "every table" : column.isEmpty() ? "table " + table : table + "." + column;
    }
}
