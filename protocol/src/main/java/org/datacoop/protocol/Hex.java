package org.datacoop.protocol;

import java.util.HexFormat;

/** Hex as the chain and the peers' JSON write it: lowercase, {@code 0x}-prefixed, read with or without the prefix. */
public final class Hex {
    private Hex() {}

    /** The bytes of {@code hex}, with or without {@code 0x}/{@code 0X}; fails naming what is wrong. */
    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex);
    }

    /** {@code bytes} as {@code 0x} and lowercase hex. */
    public static String prefixed(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
