package org.datacoop.protocol;

/** A registered file: its owner, where its encrypted bytes are, and their SHA-256 ({@code checksum}, hex). */
public record ContributedFile(long id, Address owner, String url, String checksum, long addedAtBlock) {}
