// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title HexText
/// @notice Bytes as the 0x-prefixed lowercase hex text the peers' clients read keys as (OpenZeppelin's
///         Strings writes numbers and addresses in hex, not byte strings).
library HexText {
    function toHex(bytes memory data) internal pure returns (string memory) {
        bytes16 digits = "0123456789abcdef";
        bytes memory text = new bytes(2 + data.length * 2);
        text[0] = "0";
        text[1] = "x";
        for (uint256 i = 0; i < data.length; i++) {
            text[2 + i * 2] = digits[uint8(data[i]) >> 4];
            text[3 + i * 2] = digits[uint8(data[i]) & 0x0f];
        }
        return string(text);
    }
}
