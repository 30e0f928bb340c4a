package org.datacoop.query.refine;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.datacoop.query.QueryException;

/** Units a refiner can normalise between, each with its size in its dimension's base unit. */
public enum Unit {
    M("length", 1),
    KM("length", 1000),
    MI("length", 1609.344),
    FT("length", 0.3048),
    G("mass", 1),
    KG("mass", 1000),
    LB("mass", 453.59237),
    MS("duration", 0.001),
    S("duration", 1),
    MIN("duration", 60),
    H("duration", 3600),
    KCAL("energy", 4184),
    KJ("energy", 1000);

    private final String dimension;
    private final double inBase;

    Unit(String dimension, double inBase) {
        this.dimension = dimension;
        this.inBase = inBase;
    }

    /** The unit written {@code symbol} (any case); fails listing the known units. */
    public static Unit named(String symbol) {
        try {
            return valueOf(symbol.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new QueryException(QueryException.Code.BAD_REFINER, "unknown unit '" + symbol + "'; use one of "
                    + Arrays.stream(values()).map(u -> u.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }

    /** The factor that turns a value in this unit into one in {@code target}; fails across dimensions. */
    public double factorTo(Unit target) {
        if (!dimension.equals(target.dimension)) {
            throw new QueryException(QueryException.Code.BAD_REFINER, "cannot convert " + symbol() + " (" + dimension
                    + ") to " + target.symbol() + " (" + target.dimension + ")");
        }
        return inBase / target.inBase;
    }

    /**
     * {@code value} in this unit converted to {@code target}: multiplied by this unit's size, then divided
     * by the target's, so that exact conversions stay exact (5600 m is 5.6 km, where 5600 × 0.001 is
     * 5.6000000000000005); fails across dimensions.
     */
    public double convert(double value, Unit target) {
        factorTo(target);
        return value * inBase / target.inBase;
    }

    public String symbol() {
        return name().toLowerCase(Locale.ROOT);
    }
}
