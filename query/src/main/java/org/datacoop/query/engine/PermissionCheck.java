package org.datacoop.query.engine;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.query.QueryPermission;
import org.datacoop.query.QueryException;

/**
 * Finds the permissions a planned query needs: for every column it touches, an approved, unrevoked
 * permission of the caller (or a generic one) covering it, the cheapest where several do. A table
 * read without naming a column ({@code count(*)}) needs a permission on some part of it.
 */
public final class PermissionCheck {
    private PermissionCheck() {}

    /** The permissions a query pays for, their total price and their token. */
    public record Charge(List<QueryPermission> permissions, BigInteger price, Address token) {
        public List<Long> ids() {
            return permissions.stream().map(QueryPermission::id).sorted().toList();
        }
    }

    /** Fails naming the first table or column the caller may not use; nothing is charged then. */
    public static Charge choose(QueryPlan plan, Address caller, LongFunction<List<QueryPermission>> permissionsOfRefiner) {
        Set<QueryPermission> chosen = new LinkedHashSet<>();
        for (QueryPlan.TableUse use : plan.tables()) {
            CatalogTable table = use.table();
            List<QueryPermission> usable = permissionsOfRefiner.apply(table.refinerId()).stream()
                    .filter(p -> p.usableBy(caller))
                    .sorted(Comparator.comparing(QueryPermission::price))
                    .toList();
            String tableName = table.schema().name();
            if (use.columns().isEmpty()) {
                Optional<QueryPermission> any = usable.stream()
                        .filter(p -> p.table().isEmpty() || p.table().equalsIgnoreCase(tableName)).findFirst();
                chosen.add(any.orElseThrow(() -> denied("table " + tableName, table)));
                continue;
            }
            for (String column : use.columns()) {
                if (chosen.stream().anyMatch(p -> p.refinerId() == table.refinerId() && p.covers(tableName, column))) {
                    continue;
                }
                chosen.add(usable.stream().filter(p -> p.covers(tableName, column)).findFirst()
                        .orElseThrow(() -> denied("column " + tableName + "." + column, table)));
            }
        }
        List<Address> tokens = chosen.stream().map(QueryPermission::token).distinct().toList();
        if (tokens.size() > 1) {
            throw new QueryException(QueryException.Code.NO_PERMISSION, "the permissions this query needs are priced in "
                    + "different tokens " + tokens + "; split it into one query per token");
        }
        BigInteger price = chosen.stream().map(QueryPermission::price).reduce(BigInteger.ZERO, BigInteger::add);
        return new Charge(new ArrayList<>(chosen), price, tokens.get(0));
    }

    private static QueryException denied(String what, CatalogTable table) {
        return new QueryException(QueryException.Code.NO_PERMISSION, "no permission for " + what + " (DataDAO "
                + table.dlpId() + ", refiner " + table.refinerId() + "): ask the DataDAO's owner to grant one, or request it"
                + " with `coop permission grant`");
    }
}
