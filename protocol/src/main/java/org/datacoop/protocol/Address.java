package org.datacoop.protocol;

import java.util.Locale;
import java.util.regex.Pattern;

/** A 20-byte account or contract address, held as lowercase {@code 0x}-prefixed hex. */
public record Address(String value) {
    private static final Pattern HEX_ADDRESS = Pattern.compile("0x[0-9a-f]{40}");

    public static final Address ZERO = new Address("0x0000000000000000000000000000000000000000");

    public Address {
        if (value == null) {
            throw new IllegalArgumentException("address is missing");
        }
        value = value.strip().toLowerCase(Locale.ROOT);
        if (!HEX_ADDRESS.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "not an address: '" + value + "' (expected 0x followed by 40 hex digits)");
        }
    }

    public static Address of(String value) {
        return new Address(value);
    }

    public boolean isZero() {
        return equals(ZERO);
    }

    @Override
    public String toString() {
        return value;
    }
}
