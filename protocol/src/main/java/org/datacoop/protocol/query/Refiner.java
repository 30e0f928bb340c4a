package org.datacoop.protocol.query;

/**
 * A DataDAO's refinement program, as the DataRefinerRegistry records it.
 *
 * @param id its number, from 1
 * @param dlpId the DataDAO whose validated files it refines
 * @param schemaId the schema its tables follow
 * @param instructionUrl where the refinement program is published
 * @param instructionDigest SHA-256 of the program, {@code 0x}-hex; services refuse other bytes
 */
public record Refiner(long id, long dlpId, String name, long schemaId, String instructionUrl, String instructionDigest) {}
