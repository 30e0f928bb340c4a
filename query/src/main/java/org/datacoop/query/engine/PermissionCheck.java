package org.datacoop.query.engine;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.query.QueryPermission;
import org.datacoop.query.QueryException;
import org.datacoop.query.TableSchema;

/**
 * Finds the permissions a planned query needs: for every column it touches, an approved, unrevoked
 * permission of the caller (or a generic one) covering it, at the lowest total price. A table read
 * without naming a column ({@code count(*)}) needs a permission on some part of it.
 *
 * <p>Permissions nest (every table of a refiner, one table, one column), so the cheapest cover is
 * found per refiner: its cheapest every-table permission, or per table the cheaper of its cheapest
 * table permission and the sum of its columns' cheapest column permissions.
 */
public final class PermissionCheck {
    private PermissionCheck() {}

    /** The permissions a query pays for (in ascending id, as the QueryEngine takes them), their total price and their token. */
    public record Charge(List<QueryPermission> permissions, BigInteger price, Address token) {
        public List<Long> ids() {
            return permissions.stream().map(QueryPermission::id).sorted().toList();
        }
    }

    private static final Comparator<QueryPermission> CHEAPEST =
            Comparator.comparing(QueryPermission::price).thenComparingLong(QueryPermission::id);

    /** Fails naming the first table or column the caller may not use; nothing is charged then. */
    public static Charge choose(QueryPlan plan, Address caller, LongFunction<List<QueryPermission>> permissionsOfRefiner) {
        // refiner -> table -> columns used (empty: the table is read without naming a column)
        Map<Long, Map<String, Set<String>>> needs = new LinkedHashMap<>();
        Map<String, CatalogTable> tables = new LinkedHashMap<>();
        for (QueryPlan.TableUse use : plan.tables()) {
            CatalogTable table = use.table();
            tables.putIfAbsent(table.refinerId() + "/" + table.schema().name(), table);
            Set<String> columns = needs.computeIfAbsent(table.refinerId(), r -> new LinkedHashMap<>())
                    .computeIfAbsent(table.schema().name(), t -> new LinkedHashSet<>());
            // in the table's column order, so the column a refusal names does not depend on set order
            table.schema().columns().stream().map(TableSchema.Column::name).filter(use.columns()::contains).forEach(columns::add);
        }

        Set<QueryPermission> chosen = new LinkedHashSet<>();
        for (var refiner : needs.entrySet()) {
            List<QueryPermission> usable = permissionsOfRefiner.apply(refiner.getKey()).stream()
                    .filter(p -> p.refinerId() == refiner.getKey() && p.usableBy(caller))
                    .sorted(CHEAPEST)
                    .toList();
            Optional<QueryPermission> everyTable = cheapest(usable, p -> p.table().isEmpty());
            List<QueryPermission> perTable = new ArrayList<>();
            BigInteger perTablePrice = BigInteger.ZERO;
            QueryException refusal = null;
            for (var table : refiner.getValue().entrySet()) {
                CatalogTable catalogTable = tables.get(refiner.getKey() + "/" + table.getKey());
                try {
                    List<QueryPermission> cover = cheapestCover(usable, table.getKey(), table.getValue(), catalogTable);
                    perTable.addAll(cover);
                    perTablePrice = perTablePrice.add(total(cover));
                } catch (QueryException e) {
                    refusal = refusal == null ? e : refusal;
                }
            }
            if (everyTable.isPresent() && (refusal != null || everyTable.get().price().compareTo(perTablePrice) <= 0)) {
                chosen.add(everyTable.get());
            } else if (refusal != null) {
                throw refusal;
            } else {
                chosen.addAll(perTable);
            }
        }
        List<Address> tokens = chosen.stream().map(QueryPermission::token).distinct().toList();
        if (tokens.size() > 1) {
            throw new QueryException(QueryException.Code.NO_PERMISSION, "the permissions this query needs are priced in "
                    + "different tokens " + tokens + "; split it into one query per token");
        }
        List<QueryPermission> sorted = chosen.stream().sorted(Comparator.comparingLong(QueryPermission::id)).toList();
        return new Charge(sorted, total(sorted), tokens.get(0));
    }

    /** The cheapest permissions of one table covering {@code columns}, or some part of it when none are named. */
    private static List<QueryPermission> cheapestCover(List<QueryPermission> usable, String table, Set<String> columns,
            CatalogTable catalogTable) {
        Optional<QueryPermission> wholeTable = cheapest(usable, p -> p.table().equalsIgnoreCase(table) && p.column().isEmpty());
        if (columns.isEmpty()) {
            Optional<QueryPermission> any = cheapest(usable, p -> p.table().equalsIgnoreCase(table));
            return List.of(any.orElseThrow(() -> denied("table " + table, catalogTable)));
        }
        List<QueryPermission> perColumn = new ArrayList<>();
        String uncovered = null;
        for (String column : columns) {
            Optional<QueryPermission> one = cheapest(usable, p -> p.table().equalsIgnoreCase(table) && p.column().equalsIgnoreCase(column));
            if (one.isPresent()) {
                perColumn.add(one.get());
            } else if (uncovered == null) {
                uncovered = column;
            }
        }
        if (wholeTable.isPresent() && (uncovered != null || wholeTable.get().price().compareTo(total(perColumn)) <= 0)) {
            return List.of(wholeTable.get());
        }
        if (uncovered != null) {
            throw denied("column " + table + "." + uncovered, catalogTable);
        }
        return perColumn;
    }

    private static Optional<QueryPermission> cheapest(List<QueryPermission> sortedByPrice, Predicate<QueryPermission> covers) {
        return sortedByPrice.stream().filter(covers).findFirst();
    }

    private static BigInteger total(java.util.Collection<QueryPermission> permissions) {
        return permissions.stream().distinct().map(QueryPermission::price).reduce(BigInteger.ZERO, BigInteger::add);
    }

    private static QueryException denied(String what, CatalogTable table) {
        return new QueryException(QueryException.Code.NO_PERMISSION, "no permission for " + what + " (DataDAO "
                + table.dlpId() + ", refiner " + table.refinerId() + "): ask the DataDAO's owner to grant one, or request it"
                + " with `coop permission grant`");
    }
}
