// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {AggregateVerifier8} from "../../src/zk/AggregateVerifier8.sol";
import {AggregateVerifier32} from "../../src/zk/AggregateVerifier32.sol";
import {AggregateFixture8} from "./AggregateFixture8.sol";
import {AggregateFixture32} from "./AggregateFixture32.sol";
import {ClaimVerifier32} from "../../src/zk/ClaimVerifier32.sol";
import {ClaimFixture32} from "./ClaimFixture32.sol";

/// @dev The generated verifiers against the proofs the build made over the fixture's rows
///      (-5, 0, 6, 7, 7, 12, -1 at threshold 7): accepted as made, refused once anything in them changes.
contract AggregateVerifierTest {
    uint256 private constant FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    AggregateVerifier8 private verifier8;
    AggregateVerifier32 private verifier32;

    function setUp() public {
        verifier8 = new AggregateVerifier8();
        verifier32 = new AggregateVerifier32();
    }

    function test_verifyProof_acceptsTheBuiltProof() public view {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = AggregateFixture8.proof();
        vm.assertTrue(verifier8.verifyProof(a, b, c, AggregateFixture8.publicSignals()), "8 rows");
        (a, b, c) = AggregateFixture32.proof();
        vm.assertTrue(verifier32.verifyProof(a, b, c, AggregateFixture32.publicSignals()), "32 rows");
    }

    function test_verifyProof_publicSignalsAreTheRowsAggregates() public pure {
        uint256[6] memory signals = AggregateFixture8.publicSignals();
        vm.assertEq(signals[0], 7, "count");
        vm.assertEq(signals[1], 26, "sum");
        vm.assertEq(signals[2], 3, "count of rows >= 7");
        vm.assertEq(signals[3], 26, "sum of rows >= 7");
        vm.assertEq(signals[5], 7, "threshold");
        vm.assertEq(AggregateFixture32.publicSignals()[4], signals[4], "one commitment, whatever the circuit's size");
    }

    function test_verifyProof_refusesEachTamperedPublicSignal() public view {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = AggregateFixture8.proof();
        for (uint256 i = 0; i < 6; i++) {
            uint256[6] memory signals = AggregateFixture8.publicSignals();
            signals[i] += 1;
            vm.assertFalse(verifier8.verifyProof(a, b, c, signals), "a changed public signal");
        }
    }

    function test_verifyProof_refusesATamperedProof() public view {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = AggregateFixture8.proof();
        uint256[6] memory signals = AggregateFixture8.publicSignals();
        uint256[2] memory otherC = [c[0], c[1] + 1];
        vm.assertFalse(verifier8.verifyProof(a, b, otherC, signals), "a changed point");
        vm.assertFalse(verifier8.verifyProof(c, b, a, signals), "swapped points");
    }

    function test_verifyProof_refusesTheOtherCircuitsProof() public view {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = AggregateFixture32.proof();
        vm.assertFalse(verifier8.verifyProof(a, b, c, AggregateFixture32.publicSignals()), "another key");
    }

    function testFuzz_verifyProof_refusesAnyOtherSum(uint256 delta) public view {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = AggregateFixture8.proof();
        uint256[6] memory signals = AggregateFixture8.publicSignals();
        // Any other sum in the field (the verifier refuses out-of-field signals by itself).
        signals[1] = addmod(signals[1], 1 + delta % (FIELD - 1), FIELD);
        vm.assertFalse(verifier8.verifyProof(a, b, c, signals), "another sum");
    }

    // ---- the claim circuit: at least 3 of the fixture's rows are >= 7, and nothing else shown

    function test_claimVerifier_acceptsTheBuiltProofAndRefusesAnyOtherClaim() public {
        ClaimVerifier32 claims = new ClaimVerifier32();
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = ClaimFixture32.proof();
        uint256[3] memory signals = ClaimFixture32.publicSignals();
        vm.assertEq(signals[0], AggregateFixture8.publicSignals()[4], "the rows' commitment");
        vm.assertEq(signals[1], 7, "threshold");
        vm.assertEq(signals[2], 3, "rows claimed");
        vm.assertTrue(claims.verifyProof(a, b, c, signals), "as built");
        for (uint256 i = 0; i < 3; i++) {
            uint256[3] memory changed = ClaimFixture32.publicSignals();
            changed[i] += 1;
            vm.assertFalse(claims.verifyProof(a, b, c, changed), "a changed public signal");
        }
        vm.assertFalse(claims.verifyProof(a, b, [c[0], c[1] + 1], signals), "a changed point");
    }
}
