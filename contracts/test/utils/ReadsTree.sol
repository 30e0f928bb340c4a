// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {IQueryEngine} from "../../src/interfaces/IQueryEngine.sol";
import {IReadsLedger} from "../../src/interfaces/IReadsLedger.sol";

/// @notice Merkle trees of a query's reads, as a service commits them: leaves (fileId, rows) hashed
///         twice, pairs hashed sorted, an odd node carried up a level. The contract accepts any tree of
///         that hashing; the node's is OpenZeppelin's StandardMerkleTree layout.
library ReadsTree {
    function leaf(uint256 fileId, uint256 rows) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(fileId, rows))));
    }

    function root(IQueryEngine.Reads memory reads) internal pure returns (bytes32) {
        bytes32[] memory level = _leaves(reads);
        while (level.length > 1) {
            level = _up(level);
        }
        return level[0];
    }

    function totalRows(IQueryEngine.Reads memory reads) internal pure returns (uint256 total) {
        for (uint256 f = 0; f < reads.rowCounts.length; f++) {
            total += reads.rowCounts[f];
        }
    }

    /// @dev The root of every refiner's reads, in their order.
    function roots(IQueryEngine.Reads[] memory reads)
        internal
        pure
        returns (IQueryEngine.ReadsRoot[] memory committed)
    {
        committed = new IQueryEngine.ReadsRoot[](reads.length);
        for (uint256 r = 0; r < reads.length; r++) {
            committed[r] = IReadsLedger.ReadsRoot(reads[r].refinerId, root(reads[r]), totalRows(reads[r]));
        }
    }

    function proof(IQueryEngine.Reads memory reads, uint256 index) internal pure returns (bytes32[] memory path) {
        bytes32[] memory level = _leaves(reads);
        bytes32[] memory siblings = new bytes32[](256);
        uint256 depth = 0;
        while (level.length > 1) {
            uint256 sibling = index ^ 1;
            if (sibling < level.length) siblings[depth++] = level[sibling];
            level = _up(level);
            index /= 2;
        }
        path = new bytes32[](depth);
        for (uint256 i = 0; i < depth; i++) {
            path[i] = siblings[i];
        }
    }

    /// @dev A proof for each leaf.
    function proofs(IQueryEngine.Reads memory reads) internal pure returns (bytes32[][] memory all) {
        all = new bytes32[][](reads.fileIds.length);
        for (uint256 f = 0; f < all.length; f++) {
            all[f] = proof(reads, f);
        }
    }

    /// @dev `proofs` as `claimReads` takes them: one after another, with their lengths.
    function flatten(bytes32[][] memory proofs)
        internal
        pure
        returns (bytes32[] memory flat, uint256[] memory lengths)
    {
        lengths = new uint256[](proofs.length);
        uint256 total = 0;
        for (uint256 i = 0; i < proofs.length; i++) {
            lengths[i] = proofs[i].length;
            total += lengths[i];
        }
        flat = new bytes32[](total);
        uint256 n = 0;
        for (uint256 i = 0; i < proofs.length; i++) {
            for (uint256 j = 0; j < proofs[i].length; j++) {
                flat[n++] = proofs[i][j];
            }
        }
    }

    function _leaves(IQueryEngine.Reads memory reads) private pure returns (bytes32[] memory level) {
        level = new bytes32[](reads.fileIds.length);
        for (uint256 f = 0; f < level.length; f++) {
            level[f] = leaf(reads.fileIds[f], reads.rowCounts[f]);
        }
    }

    function _up(bytes32[] memory level) private pure returns (bytes32[] memory next) {
        next = new bytes32[]((level.length + 1) / 2);
        for (uint256 i = 0; i < next.length; i++) {
            next[i] =
                2 * i + 1 < level.length ? Hashes.commutativeKeccak256(level[2 * i], level[2 * i + 1]) : level[2 * i];
        }
    }
}
