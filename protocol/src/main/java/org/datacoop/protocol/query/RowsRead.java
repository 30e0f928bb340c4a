package org.datacoop.protocol.query;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The rows one query read from the refined files of one refiner: what its payment is split by.
 *
 * @param rowsByFile file id to the number of its rows the query read (each above zero)
 */
public record RowsRead(long refinerId, SortedMap<Long, Long> rowsByFile) {
    public RowsRead {
        rowsByFile.forEach((file, rows) -> {
            if (rows <= 0) {
                throw new IllegalArgumentException("file " + file + " has " + rows + " rows read; only files read are listed");
            }
        });
        rowsByFile = Collections.unmodifiableSortedMap(new TreeMap<>(rowsByFile));
    }

    public long totalRows() {
        return rowsByFile.values().stream().mapToLong(Long::longValue).sum();
    }
}
