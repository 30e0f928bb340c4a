/** A task's selected rows: a Parquet file read with DuckDB in one total order, with the values checked. */
package org.datacoop.compute.data;
