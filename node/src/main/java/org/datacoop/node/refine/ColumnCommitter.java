package org.datacoop.node.refine;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.datacoop.chain.CommitmentsChain;
import org.datacoop.node.enclave.Enclave;
import org.datacoop.query.ColumnType;
import org.datacoop.query.TableSchema;
import org.datacoop.zk.Circuits;
import org.datacoop.zk.FixedPoint;
import org.datacoop.zk.ZkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits, in the enclave, to each numeric column of a refined file, so that circuits can later prove
 * facts about its rows against the chain: the values in row order as fixed-point integers (BIGINT at
 * scale 0, DOUBLE at {@link #DOUBLE_SCALE}), under a salt only this enclave can derive again. A column
 * the circuits cannot take (a NULL, a value out of their range, more than {@link #MAX_ROWS} rows) is
 * left out, naming the column and the reason only: never a value.
 */
public final class ColumnCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(ColumnCommitter.class);
    /** DOUBLE columns are committed in thousandths (e.g. distance_km to the metre). */
    public static final int DOUBLE_SCALE = 3;
    /** The most rows committed per column: about the most a proof can open, at 190 constraints a row. */
    public static final int MAX_ROWS = 1_024;

    private final Enclave enclave;
    private final Circuits circuits;
    private final CommitmentsChain chain;

    ColumnCommitter(Enclave enclave, Circuits circuits, CommitmentsChain chain) {
        this.enclave = enclave;
        this.circuits = circuits;
        this.chain = chain;
    }

    /**
     * The committer of a deployment with DataCommitments, on a checkout whose circuits are built; empty
     * otherwise (an older deployment, or a node run without the circuits), said once in the log.
     */
    public static Optional<ColumnCommitter> of(Enclave enclave, Optional<CommitmentsChain> chain) {
        if (chain.isEmpty()) {
            LOG.info("the deployment has no DataCommitments: refined files are not committed");
            return Optional.empty();
        }
        try {
            Circuits circuits = Circuits.discover();
            if (!circuits.built()) {
                LOG.warn("the circuits are not built (./coop build): refined files are not committed");
                return Optional.empty();
            }
            return Optional.of(new ColumnCommitter(enclave, circuits, chain.get()));
        } catch (RuntimeException e) {
            LOG.warn("no circuits: refined files are not committed ({})", e.getMessage());
            return Optional.empty();
        }
    }

    /** The salt of a column's commitment: derived, never stored, so a proof later can use it again. */
    public BigInteger salt(long fileId, long refinerId, String column) {
        return Circuits.salt(enclave.secret(saltPurpose(fileId, refinerId, column)));
    }

    /** What the enclave's secret for the salt of {@code column} of a refined file is derived for. */
    public static String saltPurpose(long fileId, long refinerId, String column) {
        return "column commitment salt\n" + refinerId + "\n" + fileId + "\n" + column;
    }

    /** Where the commitments are recorded, and claims about them. */
    public CommitmentsChain commitments() {
        return chain;
    }

    /** The circuits, served by this committer's node process. */
    public Circuits circuits() {
        return circuits;
    }

    /** Whether refiner {@code refinerId}'s commitments for {@code fileId} are recorded. */
    boolean isCommitted(long fileId, long refinerId) {
        return chain.isCommitted(fileId, refinerId);
    }

    /** Commits the numeric columns of {@code tables} as written to {@code outDir}; the transaction hash. */
    String commit(long fileId, long refinerId, List<TableSchema> tables, Path outDir) {
        List<CommitmentsChain.Column> columns = new ArrayList<>();
        for (TableSchema table : tables) {
            Path parquet = outDir.resolve(table.name() + ".parquet");
            for (TableSchema.Column column : table.ownColumns()) {
                int scale;
                if (column.type() == ColumnType.BIGINT) {
                    scale = 0;
                } else if (column.type() == ColumnType.DOUBLE) {
                    scale = DOUBLE_SCALE;
                } else {
                    continue;
                }
                String name = table.name() + "." + column.name();
                try {
                    List<BigInteger> values = values(parquet, column.name(), scale);
                    columns.add(new CommitmentsChain.Column(name,
                            circuits.commitment(values, salt(fileId, refinerId, name)), values.size(), scale));
                } catch (Unfit e) {
                    LOG.info("[fileId:{}] column {} of refiner {} is not committed: {}", fileId, name, refinerId,
                            e.getMessage());
                }
            }
        }
        return chain.commit(fileId, refinerId, columns);
    }

    /** The column's values, in row order, at {@code scale}; fails naming the reason a circuit cannot take them. */
    public static List<BigInteger> values(Path parquet, String column, int scale) {
        if (!Files.isRegularFile(parquet)) {
            throw new Unfit("no refined table at " + parquet.getFileName());
        }
        String sql = "SELECT \"" + column.replace("\"", "\"\"") + "\" FROM read_parquet('"
                + parquet.toString().replace("'", "''") + "', file_row_number = true) ORDER BY file_row_number";
        List<BigInteger> values = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                if (values.size() == MAX_ROWS) {
                    throw new Unfit("it has more than " + MAX_ROWS + " rows");
                }
                Object value = rows.getObject(1);
                if (!(value instanceof Number number)) {
                    throw new Unfit(value == null ? "it holds NULLs" : "it is not numeric");
                }
                values.add(FixedPoint.of(number, scale));
            }
        } catch (SQLException e) {
            throw new Unfit("it cannot be read back (" + e.getClass().getSimpleName() + ")");
        } catch (ZkException e) {
            throw new Unfit(e.getMessage());
        }
        return values;
    }

    /** A column the circuits cannot take; its message names the reason, never a value. */
    static final class Unfit extends RuntimeException {
        Unfit(String reason) {
            super(reason);
        }
    }
}
