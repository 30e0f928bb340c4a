package org.datacoop.cli;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Amounts typed in ether (or whole tokens, 18 decimals), kept in wei; {@link Outcomes#tokens} shows them. */
public final class Ether {
    private Ether() {}

    public static BigInteger toWei(BigDecimal amount, String option) {
        if (amount.signum() < 0) {
            throw new IllegalArgumentException(option + " must not be negative");
        }
        try {
            return amount.movePointRight(18).toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(option + " has more than 18 decimals");
        }
    }
}
