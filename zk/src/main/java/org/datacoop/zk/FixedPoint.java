package org.datacoop.zk;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Values as the circuits take them: a column at scale {@code s} holds round(x * 10^s) (half even, as
 * DuckDB rounds decimals), an integer within the aggregate circuits' 32-bit signed range, so that their
 * sums and comparisons are exact.
 */
public final class FixedPoint {
    /** The aggregate circuits compare values of {@code BITS} bits (circuits/aggregate8.circom). */
    public static final int BITS = 32;
    private static final BigInteger MIN = BigInteger.ONE.shiftLeft(BITS - 1).negate();
    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(BITS - 1).subtract(BigInteger.ONE);
    /** The finest scale a column may be committed at: 10^9 already leaves only values under 2.1 in range. */
    public static final int MAX_SCALE = 9;

    private FixedPoint() {}

    /** {@code value} (an integer or decimal number) at {@code scale}; fails naming a value out of range. */
    public static BigInteger of(Number value, int scale) {
        if (scale < 0 || scale > MAX_SCALE) {
            throw new ZkException("a scale must be 0 to " + MAX_SCALE + ", got " + scale);
        }
        BigDecimal decimal = switch (value) {
            case BigDecimal d -> d;
            case BigInteger i -> new BigDecimal(i);
            case Long l -> BigDecimal.valueOf(l);
            case Integer i -> BigDecimal.valueOf(i);
            case Short s -> BigDecimal.valueOf(s);
            case Byte b -> BigDecimal.valueOf(b);
            case Double d when d.isNaN() || d.isInfinite() -> throw new ZkException("not a finite number: " + d);
            case Float f when f.isNaN() || f.isInfinite() -> throw new ZkException("not a finite number: " + f);
            default -> new BigDecimal(value.toString());
        };
        BigInteger fixed = decimal.movePointRight(scale).setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
        if (fixed.compareTo(MIN) < 0 || fixed.compareTo(MAX) > 0) {
            throw new ZkException("a value is out of the circuits' range at scale " + scale + ": it must lie in ["
                    + MIN + ", " + MAX + "] once scaled");
        }
        return fixed;
    }

    /** The number a fixed-point integer at {@code scale} stands for. */
    public static BigDecimal value(BigInteger fixed, int scale) {
        return new BigDecimal(fixed, scale);
    }
}
