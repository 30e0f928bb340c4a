package org.datacoop.query.engine;

import org.datacoop.query.TableSchema;

/** A refined table a query can name: the DataDAO whose schema holds it and the refiner that fills it. */
public record CatalogTable(long dlpId, long refinerId, TableSchema schema) {
    /** The DuckDB schema a DataDAO's tables live in: {@code dlpN}. */
    public static String schemaOf(long dlpId) {
        return "dlp" + dlpId;
    }

    /** {@code dlpN.table}: how this table is named across DataDAOs, in SQL and in messages. */
    public String qualifiedName() {
        return schemaOf(dlpId) + "." + schema.name();
    }
}
