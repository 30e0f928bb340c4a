package org.datacoop.query.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.DateUnitExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import org.datacoop.query.QueryException;
import org.datacoop.query.Sql;
import org.datacoop.query.TableSchema;

/**
 * Parses a caller's SQL with JSqlParser and checks it before anything runs: one plain SELECT over
 * refined tables only (joins allowed; no subqueries, CTEs, set operations, window or table
 * functions), every column it touches resolved to its table, so permissions can be checked column
 * by column. It then appends the lineage columns the engine reads to learn whose rows were used.
 */
public final class QueryPlanner {
    private static final Pattern FIRST_KEYWORD = Pattern.compile("\\s*([A-Za-z]+)");
    private static final Set<String> QUERY_KEYWORDS = Set.of("SELECT", "WITH", "VALUES", "FROM", "TABLE");
    private static final Pattern DLP_SCHEMA = Pattern.compile("dlp([1-9][0-9]{0,17})", Pattern.CASE_INSENSITIVE);

    /** Aggregate functions: a query using one (or GROUP BY) is an aggregate. */
    private static final Set<String> AGGREGATES = Set.of("count", "sum", "avg", "mean", "min", "max", "median", "mode",
            "quantile", "quantile_cont", "quantile_disc", "percentile_cont", "percentile_disc", "stddev", "stddev_pop",
            "stddev_samp", "variance", "var_pop", "var_samp", "approx_count_distinct", "approx_quantile", "string_agg",
            "group_concat", "listagg", "list", "array_agg", "bool_and", "bool_or", "first", "last", "any_value", "arg_max",
            "arg_min", "argmax", "argmin", "max_by", "min_by", "histogram", "product", "entropy", "kurtosis", "skewness", "corr",
            "covar_pop", "covar_samp", "fsum", "favg", "sumkahan", "kahan_sum", "bit_and", "bit_or", "bit_xor", "count_star",
            "json_group_array", "json_group_object", "regr_avgx", "regr_avgy", "regr_count", "regr_intercept", "regr_r2",
            "regr_slope", "regr_sxx", "regr_sxy", "regr_syy", "arbitrary", "approx_top_k", "arg_max_null", "arg_min_null",
            "arg_max_nulls_last", "arg_min_nulls_last", "bitstring_agg", "count_if", "countif", "histogram_exact", "kurtosis_pop",
            "mad", "reservoir_quantile", "sem", "sum_no_overflow");

    /** What a DataDAO with a minimum group size lets queries aggregate: summaries over everyone in a group. */
    private static final Set<String> GROUP_SAFE_AGGREGATES = Set.of("count", "sum", "avg", "mean", "stddev",
            "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp");

    /**
     * Functions that reach outside the refined tables (files, settings, the catalog, other SQL), or
     * that would carry a value out in an error message ({@code error}), which is not charged.
     */
    private static final Pattern FORBIDDEN_FUNCTION = Pattern.compile(
            "read_.*|.*_scan|duckdb_.*|pragma_.*|glob|query|query_table|getenv|current_setting|getvariable|columns|unpack"
                    + "|sql_auto_complete|which_secret|load_extension|install_extension|parquet_.*|iceberg_.*|delta_.*"
                    + "|sniff_csv|json_execute_serialized_sql|current_database|current_schema|current_schemas|error|json_serialize_.*|json_deserialize_sql",
            Pattern.CASE_INSENSITIVE);

    /**
     * JSqlParser parses on an executor so that it can time a parse out (a guard against pathological
     * SQL); given none, it starts a thread per parse, which costs more than the parse itself.
     */
    private static final ExecutorService PARSER_THREADS =
            Executors.newCachedThreadPool(Thread.ofPlatform().name("sql-parser-", 1).daemon().factory());

    /** Whether a query may not call function {@code name} (unqualified, any case). */
    static boolean isForbiddenFunction(String name) {
        return FORBIDDEN_FUNCTION.matcher(name).matches();
    }

    /** The tables a query may name. */
    public interface Catalog {
        Optional<CatalogTable> table(long dlpId, String name);
    }

    /** How many plans are kept: parsing and planning cost about as much as a small query runs. */
    private static final int CACHED_PLANS = 256;

    private final Catalog catalog;
    private final Map<String, Cached> cache = new LinkedHashMap<>(CACHED_PLANS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHED_PLANS;
        }
    };

    /** A plan and the minimum group size of each of its tables' DataDAOs when it was made. */
    private record Cached(QueryPlan plan, long[] minimums) {}

    public QueryPlanner(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Checks {@code sql} and plans it. A plan is reused for the same text and default DataDAO only
     * while the catalog still gives each of its tables as planned and each DataDAO's minimum group
     * size is unchanged: both are asked again, as a fresh plan would.
     *
     * @param defaultDlpId the DataDAO whose tables unqualified names refer to; {@code dlpN.table} names another
     * @param minGroupSize the fewest contributors per released group, per DataDAO (0 or 1: no minimum)
     */
    public QueryPlan plan(String sql, long defaultDlpId, LongUnaryOperator minGroupSize) {
        String key = defaultDlpId + ":" + sql;
        Cached cached;
        synchronized (cache) {
            cached = cache.get(key);
        }
        if (cached != null && stillValid(cached, minGroupSize)) {
            return cached.plan();
        }
        Cached fresh = planAnew(sql, defaultDlpId, minGroupSize);
        synchronized (cache) {
            cache.put(key, fresh);
        }
        return fresh.plan();
    }

    private boolean stillValid(Cached cached, LongUnaryOperator minGroupSize) {
        List<QueryPlan.TableUse> tables = cached.plan().tables();
        for (QueryPlan.TableUse use : tables) {
            CatalogTable table = use.table();
            if (!catalog.table(table.dlpId(), table.schema().name()).equals(Optional.of(table))) {
                return false;
            }
        }
        for (int i = 0; i < tables.size(); i++) {
            if (minGroupSize.applyAsLong(tables.get(i).table().dlpId()) != cached.minimums()[i]) {
                return false;
            }
        }
        return true;
    }

    private Cached planAnew(String sql, long defaultDlpId, LongUnaryOperator minGroupSize) {
        PlainSelect select = parse(sql);
        List<TableRef> tables = new ArrayList<>();
        tables.add(resolve(select.getFromItem(), defaultDlpId, tables));
        for (Join join : Optional.ofNullable(select.getJoins()).orElse(List.of())) {
            if (join.isNatural()) {
                throw unsupported("NATURAL JOIN (name the join columns with ON)");
            }
            tables.add(resolve(join.getFromItem(), defaultDlpId, tables));
        }

        Set<String> aliases = new HashSet<>();
        for (SelectItem<?> item : select.getSelectItems()) {
            if (item.getAlias() != null) {
                aliases.add(unquote(item.getAlias().getName()).toLowerCase(Locale.ROOT));
            }
        }
        long[] minimums = tables.stream().mapToLong(t -> minGroupSize.applyAsLong(t.table.dlpId())).toArray();
        ColumnCollector columns = new ColumnCollector(tables, aliases, LongStream.of(minimums).max().orElse(0));
        for (SelectItem<?> item : select.getSelectItems()) {
            item.getExpression().accept(columns, null);
        }
        // DuckDB lets WHERE and ON name a select alias, but the rows-read query keeps only FROM and WHERE.
        columns.aliasesAllowed = false;
        visit(select.getWhere(), columns);
        for (Join join : Optional.ofNullable(select.getJoins()).orElse(List.of())) {
            join.getOnExpressions().forEach(on -> visit(on, columns));
            for (Column using : Optional.ofNullable(join.getUsingColumns()).orElse(List.of())) {
                tables.forEach(t -> t.use(using.getColumnName()));
            }
        }
        columns.aliasesAllowed = true;
        visit(select.getHaving(), columns);
        if (select.getGroupBy() != null) {
            for (Object expression : select.getGroupBy().getGroupByExpressionList()) {
                visit((Expression) expression, columns);
            }
        }
        if (select.getGroupBy() != null) {
            for (var set : Optional.ofNullable(select.getGroupBy().getGroupingSets()).orElse(List.of())) {
                for (Object expression : set) {
                    visit((Expression) expression, columns);
                }
            }
        }
        for (OrderByElement order : Optional.ofNullable(select.getOrderByElements()).orElse(List.of())) {
            visit(order.getExpression(), columns);
        }
        if (select.getLimit() != null) {
            visit(select.getLimit().getRowCount(), columns);
            visit(select.getLimit().getOffset(), columns);
        }
        if (select.getOffset() != null) {
            visit(select.getOffset().getOffset(), columns);
        }
        if (select.getFetch() != null) {
            visit(select.getFetch().getExpression(), columns);
        }
        if (select.getTop() != null) {
            visit(select.getTop().getExpression(), columns);
        }

        boolean aggregate = select.getGroupBy() != null || columns.sawAggregate;
        String resolved = select.toString();
        List<QueryPlan.ReadsQuery> readsQueries = new ArrayList<>();
        List<QueryPlan.Lineage> lineage = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            TableRef table = tables.get(i);
            long minimum = minimums[i];
            if (minimum > 1 && !aggregate) {
                throw new QueryException(QueryException.Code.GROUP_TOO_SMALL, "DataDAO " + table.table.dlpId()
                        + " releases only aggregates over at least " + minimum + " contributors: use count, sum, avg"
                        + " and the like, with GROUP BY if you need groups");
            }
            String reference = table.columnPrefix();
            if (aggregate) {
                // Every row of the table counts as read under a minimum group size, or with nothing to join or filter.
                boolean wholeTable = minimum > 1 || (tables.size() == 1 && select.getWhere() == null);
                readsQueries.add(new QueryPlan.ReadsQuery(i, wholeTable
                        ? "SELECT file_id, count(*) FROM " + table.table.qualifiedName() + " GROUP BY file_id"
                        : readsQuery(resolved, reference), wholeTable));
                if (minimum > 1) {
                    addItem(select, distinctOwners(table, minimum));
                    lineage.add(new QueryPlan.Lineage(QueryPlan.Lineage.Kind.OWNERS, i, minimum));
                }
            } else {
                addItem(select, reference + ".file_id");
                lineage.add(new QueryPlan.Lineage(QueryPlan.Lineage.Kind.FILE_ID, i, 0));
            }
        }
        if (aggregate) {
            addLeftOutOwners(select, tables, minimums, lineage);
        }
        List<QueryPlan.TableUse> uses = tables.stream()
                .map(t -> new QueryPlan.TableUse(t.reference, t.table, Set.copyOf(t.columns)))
                .toList();
        return new Cached(new QueryPlan(sql, resolved, select.toString(), uses, List.copyOf(lineage),
                List.copyOf(readsQueries)), minimums);
    }

    /**
     * For each table with a minimum group size, the owners' hashes of each group left out (null for a
     * group released, so the lists stay small: fewer than the minimum each).
     */
    private static void addLeftOutOwners(PlainSelect select, List<TableRef> tables, long[] minimums,
            List<QueryPlan.Lineage> lineage) {
        List<Integer> guarded = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            if (minimums[i] > 1) {
                guarded.add(i);
            }
        }
        String leftOut = String.join(" OR ", guarded.stream()
                .map(i -> distinctOwners(tables.get(i), minimums[i]) + " < " + minimums[i]).toList());
        for (int i : guarded) {
            String hash = ownerHash(tables.get(i));
            // A group below a minimum of 2 has one owner at most: the smallest is it (null for none,
            // which the store skips; a hash of it would not be null and would count as an owner).
            addItem(select, "CASE WHEN " + leftOut + " THEN " + (minimums[i] == 2
                    ? "[min(" + tables.get(i).columnPrefix() + ".owner)]"
                    : "list(DISTINCT " + hash + ")") + " END");
            lineage.add(new QueryPlan.Lineage(QueryPlan.Lineage.Kind.LEFT_OUT_OWNERS, i, minimums[i]));
        }
    }

    /**
     * A group's distinct owners, as many as decide whether it may be released: for a minimum of 2,
     * 0, 1 or 2 from the smallest and largest owner (two plain aggregates, exact, cost about a tenth
     * of a distinct count over 1,000,000 rows, and less than hashing every row's owner); otherwise
     * the distinct count of their hashes, where a collision can only undercount, and so suppress a
     * group rather than release one too small.
     */
    private static String distinctOwners(TableRef table, long minimum) {
        String owner = table.columnPrefix() + ".owner";
        return minimum == 2
                ? "CASE WHEN min(" + owner + ") IS NULL THEN 0 WHEN min(" + owner + ") = max(" + owner + ") THEN 1 ELSE 2 END"
                : "count(DISTINCT " + ownerHash(table) + ")";
    }

    /**
     * Distinct 64-bit hashes count ~10x faster than distinct strings; a collision can only undercount.
     * No owner (an outer join's missing side) is no hash: DuckDB's {@code hash(NULL)} is a number,
     * which a distinct count would take for one more contributor.
     */
    private static String ownerHash(TableRef table) {
        String owner = table.columnPrefix() + ".owner";
        return "CASE WHEN " + owner + " IS NOT NULL THEN hash(" + owner + ") END";
    }

    /** The caller's FROM, joins and WHERE, counting rows per file of the table named {@code reference}. */
    private static String readsQuery(String resolvedSql, String reference) {
        try {
            PlainSelect copy = (PlainSelect) CCJSqlParserUtil.parse(resolvedSql, PARSER_THREADS, null);
            PlainSelect template = (PlainSelect) CCJSqlParserUtil.parse("SELECT " + reference + ".file_id, count(*) FROM t"
                    + " GROUP BY " + reference + ".file_id", PARSER_THREADS, null);
            copy.setSelectItems(template.getSelectItems());
            copy.setGroupByElement(template.getGroupBy());
            copy.setHaving(null);
            copy.setOrderByElements(null);
            copy.setLimit(null);
            copy.setOffset(null);
            copy.setFetch(null);
            copy.setTop(null);
            return copy.toString();
        } catch (JSQLParserException e) {
            throw new IllegalStateException("cannot build the reads query of " + reference, e);
        }
    }

    private static PlainSelect parse(String sql) {
        Statement statement;
        try {
            Statements statements = CCJSqlParserUtil.parseStatements(sql, PARSER_THREADS, null);
            if (statements.size() != 1) {
                throw unsupported("more than one statement");
            }
            statement = statements.get(0);
        } catch (JSQLParserException e) {
            Matcher keyword = FIRST_KEYWORD.matcher(sql);
            if (keyword.lookingAt() && !QUERY_KEYWORDS.contains(keyword.group(1).toUpperCase(Locale.ROOT))) {
                throw unsupported("anything but SELECT (" + keyword.group(1).toUpperCase(Locale.ROOT) + ")");
            }
            String reason = Optional.ofNullable(e.getCause()).map(Throwable::getMessage).orElse(e.getMessage());
            throw new QueryException(QueryException.Code.PARSE, "the SQL does not parse: " + firstLine(reason), e);
        }
        if (!(statement instanceof PlainSelect select)) {
            throw unsupported(statement instanceof Select ? "UNION, INTERSECT, EXCEPT, VALUES and parenthesised queries"
                    : "anything but SELECT (" + statement.getClass().getSimpleName() + ")");
        }
        if (select.getWithItemsList() != null && !select.getWithItemsList().isEmpty()) {
            throw unsupported("WITH (common table expressions)");
        }
        if (select.getDistinct() != null) {
            throw unsupported("SELECT DISTINCT (use GROUP BY)");
        }
        if (select.getIntoTables() != null || select.getForUpdateTable() != null || select.getForMode() != null) {
            throw unsupported("SELECT INTO and FOR UPDATE");
        }
        if (select.getQualify() != null || select.getWindowDefinitions() != null) {
            throw unsupported("window functions");
        }
        if (select.getFromItem() == null) {
            throw unsupported("a SELECT without FROM: name a refined table");
        }
        if (select.getLimitBy() != null || select.getPreWhere() != null || select.getLateralViews() != null
                || select.getOracleHierarchical() != null || select.getPreferringClause() != null || select.getSkip() != null
                || select.getFirst() != null || select.getKsqlWindow() != null || select.getSampleClause() != null
                || select.getMySqlSelectIntoClause() != null || select.getIntoTempTable() != null
                || (select.getInterpolate() != null && !select.getInterpolate().isEmpty())) {
            throw unsupported("clauses of other SQL dialects (" + select + ")");
        }
        return select;
    }

    private TableRef resolve(FromItem item, long defaultDlpId, List<TableRef> known) {
        if (!(item instanceof Table table) || item.getPivot() != null || item.getUnPivot() != null) {
            throw unsupported("reading from " + item + ": only refined tables can be read (no subqueries or table functions)");
        }
        if (present(table.getTimeTravel()) || present(table.getTimeTravelStrAfterAlias())
                || table.getSampleClause() != null) {
            throw unsupported("reading " + table + ": name a refined table, with an alias if you like");
        }
        if (table.getDatabaseName() != null || table.getNameParts().size() > 2) {
            throw new QueryException(QueryException.Code.UNKNOWN_NAME, "there is no table " + table.getFullyQualifiedName());
        }
        long dlpId = defaultDlpId;
        if (table.getSchemaName() != null) {
            Matcher matcher = DLP_SCHEMA.matcher(unquote(table.getSchemaName()));
            if (!matcher.matches()) {
                throw new QueryException(QueryException.Code.UNKNOWN_NAME, "there is no table " + table.getFullyQualifiedName()
                        + " (name another DataDAO's table as dlpN.table)");
            }
            dlpId = Long.parseLong(matcher.group(1));
        }
        String name = unquote(table.getName()).toLowerCase(Locale.ROOT);
        long dlp = dlpId;
        CatalogTable found = catalog.table(dlpId, name).orElseThrow(() -> new QueryException(QueryException.Code.UNKNOWN_NAME,
                "there is no table " + name + " in DataDAO " + dlp + " (or nothing has been refined into it yet)"));
        String alias = table.getAlias() == null ? null : unquote(table.getAlias().getName()).toLowerCase(Locale.ROOT);
        table.setSchemaName(CatalogTable.schemaOf(dlpId));
        table.setName(name);
        String reference = alias != null ? alias : name;
        if (known.stream().anyMatch(t -> t.reference.equals(reference))) {
            throw unsupported("naming table " + reference + " twice without distinct aliases");
        }
        return new TableRef(reference, alias != null, found);
    }

    private static void visit(Expression expression, ColumnCollector columns) {
        if (expression != null) {
            expression.accept(columns, null);
        }
    }

    private static void addItem(PlainSelect select, String expression) {
        try {
            select.addSelectItem(CCJSqlParserUtil.parseExpression(expression));
        } catch (JSQLParserException e) {
            throw new IllegalStateException("cannot build lineage column " + expression, e);
        }
    }

    private static boolean present(String text) {
        return text != null && !text.isBlank();
    }

    private static String unquote(String identifier) {
        return identifier.length() > 1 && identifier.startsWith("\"") && identifier.endsWith("\"")
                ? identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"")
                : identifier;
    }

    private static String firstLine(String message) {
        String text = Optional.ofNullable(message).orElse("");
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static QueryException unsupported(String what) {
        return new QueryException(QueryException.Code.UNSUPPORTED, "not supported: " + what);
    }

    /** A table in the query and the columns used of it so far. */
    private static final class TableRef {
        final String reference;
        final boolean aliased;
        final CatalogTable table;
        final Set<String> columns = new LinkedHashSet<>();

        TableRef(String reference, boolean aliased, CatalogTable table) {
            this.reference = reference;
            this.aliased = aliased;
            this.table = table;
        }

        boolean has(String column) {
            return table.schema().column(column).isPresent();
        }

        void use(String column) {
            table.schema().column(column).ifPresent(c -> columns.add(c.name()));
        }

        void useAll() {
            table.schema().columns().forEach(c -> columns.add(c.name()));
        }

        /** How a lineage column names this table: its alias, or its qualified name. */
        String columnPrefix() {
            return aliased ? Sql.quote(reference) : table.qualifiedName();
        }
    }

    /** Walks expressions: resolves each column to its table, refuses what the engine does not run. */
    private static final class ColumnCollector extends ExpressionVisitorAdapter<Void> {
        private final List<TableRef> tables;
        private final Set<String> selectAliases;
        private final long minimum;
        boolean aliasesAllowed = true;
        boolean sawAggregate;

        /** @param minimum the largest minimum group size of the query's DataDAOs */
        ColumnCollector(List<TableRef> tables, Set<String> selectAliases, long minimum) {
            super(null);
            this.tables = tables;
            this.selectAliases = selectAliases;
            this.minimum = minimum;
        }

        @Override
        public <S> Void visit(Column column, S context) {
            String name = unquote(column.getColumnName()).toLowerCase(Locale.ROOT);
            Table qualifier = column.getTable();
            if (qualifier != null && qualifier.getName() != null) {
                TableRef table = byQualifier(qualifier);
                if (!table.has(name)) {
                    throw new QueryException(QueryException.Code.UNKNOWN_NAME, "table " + table.table.schema().name()
                            + " has no column " + name + " (it has " + columnNames(table) + ")");
                }
                table.use(name);
                return null;
            }
            List<TableRef> holders = tables.stream().filter(t -> t.has(name)).toList();
            if (holders.isEmpty()) {
                // DuckDB reads a table's name or alias used as a column as the whole row, as a struct
                boolean namesTable = tables.stream().anyMatch(t -> t.reference.equals(name) || t.table.schema().name().equals(name));
                if (namesTable) {
                    throw new QueryException(QueryException.Code.UNKNOWN_NAME, "there is no column " + name + ": " + name
                            + " names a table of the query, which DuckDB would read as whole rows; name its columns"
                            + " (and give no select alias a table's name)");
                }
                if (selectAliases.contains(name)) {
                    if (!aliasesAllowed) {
                        throw unsupported("naming select alias " + name + " in WHERE or ON (repeat its expression)");
                    }
                    return null;
                }
                throw new QueryException(QueryException.Code.UNKNOWN_NAME, "there is no column " + name + " in "
                        + String.join(", ", tables.stream().map(t -> t.table.schema().name() + " (" + columnNames(t) + ")").toList()));
            }
            holders.forEach(t -> t.use(name));
            return null;
        }

        /**
         * JSqlParser reads a bare {@code day}, {@code month}, {@code year}, {@code hour}, {@code minute} or
         * {@code second} as a date unit; DuckDB reads it as a column, so it is one here too.
         */
        @Override
        public <S> Void visit(DateUnitExpression unit, S context) {
            return visit(new Column(unit.getType().name().toLowerCase(Locale.ROOT)), context);
        }

        private TableRef byQualifier(Table qualifier) {
            String name = unquote(qualifier.getName()).toLowerCase(Locale.ROOT);
            String schema = qualifier.getSchemaName() == null ? null : unquote(qualifier.getSchemaName()).toLowerCase(Locale.ROOT);
            for (TableRef table : tables) {
                boolean nameMatches = table.reference.equals(name)
                        || (!table.aliased && table.table.schema().name().equals(name));
                boolean schemaMatches = schema == null || (!table.aliased && CatalogTable.schemaOf(table.table.dlpId()).equals(schema));
                if (nameMatches && schemaMatches) {
                    return table;
                }
            }
            throw new QueryException(QueryException.Code.UNKNOWN_NAME, "there is no table or alias "
                    + qualifier.getFullyQualifiedName() + " in the query's FROM");
        }

        @Override
        public <S> Void visit(Function function, S context) {
            List<String> parts = Optional.ofNullable(function.getMultipartName()).orElse(List.of());
            String name = String.join(".", parts.stream().map(QueryPlanner::unquote).toList()).toLowerCase(Locale.ROOT);
            String bare = parts.size() == 1 ? name : "";
            if (parts.size() != 1 || name.contains(".") || FORBIDDEN_FUNCTION.matcher(bare).matches()) {
                throw unsupported("function " + function.getName() + "()");
            }
            if (AGGREGATES.contains(bare)) {
                sawAggregate = true;
                if (minimum > 1) {
                    requireGroupSafe(function, bare);
                }
            }
            if (bare.equals("count") && function.getParameters() != null && function.getParameters().size() == 1
                    && function.getParameters().get(0) instanceof AllColumns all && all.getClass() == AllColumns.class
                    && all.getExceptColumns() == null && all.getReplaceExpressions() == null && !function.isDistinct()) {
                return null; // count(*) counts rows; it reads no column
            }
            return super.visit(function, context);
        }

        /**
         * Under a minimum group size an aggregate must summarise everyone in its group alike: a sum
         * of a CASE on the owner, a max, a quantile or a list can each single out one contributor
         * however many the group holds. So only these aggregates of plain columns are run.
         */
        private static void requireGroupSafe(Function function, String name) {
            boolean plainColumns = function.getParameters() == null || function.getParameters().stream()
                    .allMatch(p -> p instanceof Column column && (name.equals("count")
                            || !isLineageColumn(unquote(column.getColumnName()))))
                    || (name.equals("count") && function.getParameters().size() == 1
                            && function.getParameters().get(0).getClass() == AllColumns.class);
            if (!GROUP_SAFE_AGGREGATES.contains(name) || !plainColumns || function.getKeep() != null) {
                throw new QueryException(QueryException.Code.GROUP_TOO_SMALL, "this DataDAO releases only aggregates"
                        + " over a minimum number of contributors, so its queries may use only "
                        + String.join(", ", new java.util.TreeSet<>(GROUP_SAFE_AGGREGATES))
                        + " of plain columns (filter in WHERE), not " + function);
            }
        }

        private static boolean isLineageColumn(String column) {
            return column.equalsIgnoreCase(TableSchema.FILE_ID) || column.equalsIgnoreCase(TableSchema.OWNER);
        }

        @Override
        public <S> Void visit(AllColumns allColumns, S context) {
            tables.forEach(TableRef::useAll);
            replacements(allColumns, context);
            return null;
        }

        /** The expressions of {@code * REPLACE (expression AS column)}: checked as any other. */
        private <S> void replacements(AllColumns allColumns, S context) {
            for (SelectItem<?> item : Optional.ofNullable(allColumns.getReplaceExpressions()).orElse(List.of())) {
                item.getExpression().accept(this, context);
            }
        }

        @Override
        public <S> Void visit(AllTableColumns allTableColumns, S context) {
            byQualifier(allTableColumns.getTable()).useAll();
            replacements(allTableColumns, context);
            return null;
        }

        @Override
        public <S> Void visit(AnalyticExpression expression, S context) {
            throw unsupported("window functions (" + expression.getName() + " OVER ...)");
        }

        @Override
        public <S> Void visit(ParenthesedSelect select, S context) {
            throw unsupported("subqueries");
        }

        @Override
        public <S> Void visit(Select select, S context) {
            throw unsupported("subqueries");
        }

        private static String columnNames(TableRef table) {
            return String.join(", ", table.table.schema().columns().stream().map(TableSchema.Column::name).toList());
        }
    }
}
