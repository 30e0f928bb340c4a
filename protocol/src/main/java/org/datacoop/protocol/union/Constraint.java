package org.datacoop.protocol.union;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a term allows of one template parameter, as {@code DataUnions} records it: any value, exactly one,
 * a range, or one of a set (columns, say). Values are 256-bit unsigned integers; a text value (a column's
 * name) is its UTF-8 bytes left-aligned in 32 bytes, as a Solidity short string.
 *
 * <p>Written as {@code free}, {@code 5}, {@code 1..4} or {@code {age,steps}}.
 */
public sealed interface Constraint {
    BigInteger MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    /** The kind's number on-chain: FREE 0, FIXED 1, RANGE 2, SET 3. */
    int kind();

    /** The values on-chain, in order. */
    List<BigInteger> values();

    /** As written on a command line. */
    String text();

    record Free() implements Constraint {
        public int kind() {
            return 0;
        }

        public List<BigInteger> values() {
            return List.of();
        }

        public String text() {
            return "free";
        }
    }

    record Fixed(BigInteger value) implements Constraint {
        public Fixed {
            check(value);
        }

        public int kind() {
            return 1;
        }

        public List<BigInteger> values() {
            return List.of(value);
        }

        public String text() {
            return show(value);
        }
    }

    /** From {@code lo} to {@code hi}, both included. */
    record Range(BigInteger lo, BigInteger hi) implements Constraint {
        public Range {
            check(lo);
            check(hi);
            if (lo.compareTo(hi) > 0) {
                throw new IllegalArgumentException("range " + lo + ".." + hi + " is empty: its low end is above its high end");
            }
        }

        public int kind() {
            return 2;
        }

        public List<BigInteger> values() {
            return List.of(lo, hi);
        }

        public String text() {
            return show(lo) + ".." + show(hi);
        }
    }

    /** One of {@code values}, kept ascending and without repeats, as the contract needs them. */
    record OneOf(List<BigInteger> values) implements Constraint {
        public OneOf {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("a set of allowed values needs at least one value");
            }
            values.forEach(Constraint::check);
            values = List.copyOf(new TreeSet<>(values));
        }

        public int kind() {
            return 3;
        }

        public String text() {
            return values.stream().map(Constraint::show).collect(Collectors.joining(",", "{", "}"));
        }
    }

    /** The constraint {@code kind} with {@code values}, as read from the chain. */
    static Constraint of(int kind, List<BigInteger> values) {
        return switch (kind) {
            case 0 -> new Free();
            case 1 -> new Fixed(values.get(0));
            case 2 -> new Range(values.get(0), values.get(1));
            case 3 -> new OneOf(values);
            default -> throw new IllegalArgumentException("unknown constraint kind " + kind);
        };
    }

    /** Reads {@code free}, {@code 5}, {@code 1..4}, {@code {age,steps}} or a text value such as {@code steps}. */
    static Constraint parse(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("a constraint is free, a value, LOW..HIGH or {A,B,...}; it was empty");
        }
        if (t.equals("free")) {
            return new Free();
        }
        if (t.startsWith("{") && t.endsWith("}")) {
            return new OneOf(Arrays.stream(t.substring(1, t.length() - 1).split(",")).map(Constraint::value).toList());
        }
        int dots = t.indexOf("..");
        if (dots > 0) {
            return new Range(value(t.substring(0, dots)), value(t.substring(dots + 2)));
        }
        return new Fixed(value(t));
    }

    /** A decimal number, or else a text of at most 32 UTF-8 bytes left-aligned in 32 bytes. */
    static BigInteger value(String text) {
        String t = text.strip();
        if (t.matches("[0-9]+")) {
            return new BigInteger(t);
        }
        byte[] bytes = t.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > 32) {
            throw new IllegalArgumentException("a value is a number or a text of 1 to 32 bytes: '" + text + "'");
        }
        return new BigInteger(1, Arrays.copyOf(bytes, 32));
    }

    /** A value as {@link #value} reads it: text when it is printable text left-aligned, else the number. */
    static String show(BigInteger value) {
        if (value.bitLength() > 200) {
            byte[] raw = value.toByteArray();
            byte[] bytes = Arrays.copyOfRange(raw, raw.length - 32, raw.length);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] == 0) {
                end--;
            }
            String s = new String(bytes, 0, end, StandardCharsets.UTF_8);
            if (!s.isEmpty() && !s.matches("[0-9]+") && s.chars().allMatch(c -> c >= 0x21 && c < 0x7f && c != ',' && c != '{'
                    && c != '}')) {
                return s;
            }
        }
        return value.toString();
    }

    private static void check(BigInteger value) {
        if (value.signum() < 0 || value.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("a value is an unsigned 256-bit integer, not " + value);
        }
    }
}
