// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {DataAnchoringToken} from "../../src/dat/DataAnchoringToken.sol";

/// @notice Drives the Data Anchoring Token in random orders for the invariant suite: mints by two
///         DataDAOs' pools (file ids drawn from a small range, so repeats happen), whole and empty
///         transfers and batch transfers between a few actors, by holders, operators and strangers,
///         value moves and usage, class revenue settled in ETH, claimed by holders and operators, expired
///         tokens retired as time passes. Inputs are bounded, not assumed away; refused calls are caught.
contract DatHandler {
    DataAnchoringToken public immutable dat;
    address public immutable recorder;

    address[] public pools;
    address[] public actors;
    uint256[] public minted;
    uint256[] public classes;
    /// A second mint of one (class, file) that succeeded: must stay zero.
    uint256 public duplicateMints;
    /// ETH settled to and claimed from each class.
    mapping(uint256 classId => uint256) public settled;
    mapping(uint256 classId => uint256) public claimed;

    /// @param classes_ the DataDAO (class) id of each of `pools_`, in the same order
    constructor(DataAnchoringToken dat_, address[] memory pools_, uint256[] memory classes_, address recorder_) {
        dat = dat_;
        pools = pools_;
        classes = classes_;
        recorder = recorder_;
        for (uint256 i = 0; i < 4; i++) {
            actors.push(vm.addr(0xD47 + i));
        }
    }

    function mint(uint256 poolSeed, uint256 fileSeed, uint256 actorSeed, uint256 shareRatio) external {
        address minter = pools[poolSeed % pools.length];
        uint256 fileId = fileSeed % 16;
        vm.prank(minter);
        try dat.mint(fileId, _actor(actorSeed), shareRatio) returns (uint256 tokenId) {
            for (uint256 i = 0; i < minted.length; i++) {
                if (minted[i] == tokenId) duplicateMints++;
            }
            minted.push(tokenId);
        } catch {}
    }

    function transferToken(uint256 tokenSeed, uint256 callerSeed, uint256 toSeed) external {
        if (minted.length == 0) return;
        vm.prank(_actor(callerSeed));
        try dat.transferToken(_token(tokenSeed), _actor(toSeed)) {} catch {}
    }

    function safeTransferFrom(uint256 tokenSeed, uint256 fromSeed, uint256 callerSeed, uint256 toSeed, uint256 amount)
        external
    {
        if (minted.length == 0) return;
        vm.prank(_actor(callerSeed));
        try dat.safeTransferFrom(_actor(fromSeed), _actor(toSeed), _token(tokenSeed), amount % 3, "") {} catch {}
    }

    function safeBatchTransferFrom(uint256 tokenSeed, uint256 otherSeed, uint256 fromSeed, uint256 toSeed) external {
        if (minted.length == 0) return;
        uint256[] memory ids = new uint256[](2);
        ids[0] = _token(tokenSeed);
        ids[1] = _token(otherSeed);
        uint256[] memory amounts = new uint256[](2);
        amounts[0] = 1;
        amounts[1] = tokenSeed % 2;
        address from = _actor(fromSeed);
        vm.prank(from);
        try dat.safeBatchTransferFrom(from, _actor(toSeed), ids, amounts, "") {} catch {}
    }

    function setApprovalForAll(uint256 ownerSeed, uint256 operatorSeed, bool approved) external {
        address owner = _actor(ownerSeed);
        address operator = _actor(operatorSeed);
        if (owner == operator) return;
        vm.prank(owner);
        dat.setApprovalForAll(operator, approved);
    }

    function transferValue(uint256 fromSeed, uint256 toSeed, uint256 callerSeed, uint256 value) external {
        if (minted.length == 0) return;
        vm.prank(_actor(callerSeed));
        try dat.transferValue(_token(fromSeed), _token(toSeed), value % 1_000) {} catch {}
    }

    function recordUsage(uint256 tokenSeed, uint256 amount) external {
        if (minted.length == 0) return;
        vm.prank(recorder);
        try dat.recordUsage(_token(tokenSeed), keccak256("rows_read"), amount % 1_000) {} catch {}
    }

    function settleRevenue(uint256 classSeed, uint256 amount) external {
        uint256 classId = classes[classSeed % classes.length];
        amount = amount % 10 ether;
        vm.deal(address(this), amount);
        try dat.settleRevenueETH{value: amount}(classId) {
            settled[classId] += amount;
        } catch {}
    }

    function claim(uint256 tokenSeed, uint256 callerSeed) external {
        if (minted.length == 0) return;
        uint256 tokenId = _token(tokenSeed);
        vm.prank(_actor(callerSeed));
        try dat.claim(tokenId, address(0)) returns (uint256 amount) {
            claimed[dat.classOf(tokenId)] += amount;
        } catch {}
    }

    function retire(uint256 tokenSeed) external {
        if (minted.length == 0) return;
        try dat.retire(_token(tokenSeed)) {} catch {}
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + seconds_ % 2 days);
    }

    function mintedCount() external view returns (uint256) {
        return minted.length;
    }

    function actorsCount() external view returns (uint256) {
        return actors.length;
    }

    function _actor(uint256 seed) private view returns (address) {
        return actors[seed % actors.length];
    }

    function _token(uint256 seed) private view returns (uint256) {
        return minted[seed % minted.length];
    }
}
