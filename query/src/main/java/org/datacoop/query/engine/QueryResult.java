package org.datacoop.query.engine;

import java.util.List;
import org.datacoop.protocol.query.RowsRead;

/**
 * What a query returned, and whose rows it read.
 *
 * @param rows each row's values as Java values (numbers, strings, booleans, or null; dates and
 *     times as ISO-8601 text)
 * @param rowsRead per refiner, the rows read of each file, for groups that were released
 * @param suppressedGroups groups left out because they covered fewer contributors than their DataDAO allows
 */
public record QueryResult(List<String> columns, List<String> types, List<List<Object>> rows, List<RowsRead> rowsRead,
        long suppressedGroups) {}
