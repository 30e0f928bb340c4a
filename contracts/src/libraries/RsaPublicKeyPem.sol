// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Bytes} from "@openzeppelin/contracts/utils/Bytes.sol";

/// @title RsaPublicKeyPem
/// @notice Turns the DER SubjectPublicKeyInfo of an RSA key (what a DataCoop validator publishes) into
///         the PKCS#1 PEM LazAI's clients read (`-----BEGIN RSA PUBLIC KEY-----`, 64 characters a
///         line, RFC 7468): the SubjectPublicKeyInfo's bit string is the PKCS#1 RSAPublicKey itself.
library RsaPublicKeyPem {
    /// @dev AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }, DER.
    bytes private constant _RSA_ALGORITHM = hex"300d06092a864886f70d0101010500";
    uint256 private constant _LINE = 64;

    /// @notice The PKCS#1 PEM of `spki`; empty when `spki` is not the DER SubjectPublicKeyInfo of an
    ///         RSA key (a validator may publish no RSA key at all).
    function fromSubjectPublicKeyInfo(bytes memory spki) internal pure returns (string memory) {
        (bool ok, uint256 at, uint256 length) = _header(spki, 0, 0x30);
        if (!ok || at + length != spki.length || spki.length < at + _RSA_ALGORITHM.length) return "";
        for (uint256 i = 0; i < _RSA_ALGORITHM.length; i++) {
            if (spki[at + i] != _RSA_ALGORITHM[i]) return "";
        }
        (ok, at, length) = _header(spki, at + _RSA_ALGORITHM.length, 0x03);
        // A bit string with no unused bits, holding one SEQUENCE (the RSAPublicKey) to the end.
        if (!ok || at + length != spki.length || length < 2 || spki[at] != 0x00) return "";
        uint256 keyAt = at + 1;
        (ok, at, length) = _header(spki, keyAt, 0x30);
        if (!ok || at + length != spki.length) return "";
        bytes memory pkcs1 = Bytes.slice(spki, keyAt);
        return string.concat("-----BEGIN RSA PUBLIC KEY-----\n", _lines(Base64.encode(pkcs1)), "-----END RSA PUBLIC KEY-----\n");
    }

    /// @dev The tag at `at` must be `tag`; returns where its content starts and its length (DER
    ///      lengths up to two bytes: an RSA key up to 16 kbit).
    function _header(bytes memory der, uint256 at, bytes1 tag)
        private
        pure
        returns (bool ok, uint256 contentAt, uint256 length)
    {
        if (der.length < at + 2 || der[at] != tag) return (false, 0, 0);
        uint8 first = uint8(der[at + 1]);
        if (first < 0x80) return (true, at + 2, first);
        uint256 octets = first & 0x7f;
        if (octets == 0 || octets > 2 || der.length < at + 2 + octets) return (false, 0, 0);
        for (uint256 i = 0; i < octets; i++) {
            length = (length << 8) | uint8(der[at + 2 + i]);
        }
        if (at + 2 + octets + length > der.length) return (false, 0, 0);
        return (true, at + 2 + octets, length);
    }

    /// @dev `text` cut into lines of 64 characters, each ending in a newline.
    function _lines(string memory text) private pure returns (string memory) {
        bytes memory raw = bytes(text);
        uint256 lineCount = (raw.length + _LINE - 1) / _LINE;
        bytes memory out = new bytes(raw.length + lineCount);
        uint256 o = 0;
        for (uint256 i = 0; i < raw.length; i++) {
            out[o++] = raw[i];
            if ((i + 1) % _LINE == 0 || i + 1 == raw.length) out[o++] = "\n";
        }
        return string(out);
    }
}
