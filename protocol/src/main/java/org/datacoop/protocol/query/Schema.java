package org.datacoop.protocol.query;

/**
 * A table layout refined data follows, as the DataRefinerRegistry records it.
 *
 * @param id its number, from 1
 * @param dialect the SQL dialect its types are written in ({@code duckdb})
 * @param definitionUrl where the definition document (tables, columns, types) is published
 * @param definitionDigest SHA-256 of that document, {@code 0x}-hex
 */
public record Schema(long id, String name, String dialect, String definitionUrl, String definitionDigest) {}
