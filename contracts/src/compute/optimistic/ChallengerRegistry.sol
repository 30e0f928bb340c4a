// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IChallengerRegistry} from "../../interfaces/compute/IChallengerRegistry.sol";
import {IDataRefinerRegistry} from "../../interfaces/IDataRefinerRegistry.sol";
import {ITeePool} from "../../interfaces/ITeePool.sol";

/// @title ChallengerRegistry
/// @notice Per DataDAO, the bonded validators that may challenge optimistic results (see the interface).
///         Admission is the DataDAO owner's call: a challenger re-executes tasks over the DataDAO's
///         rows in its enclave, so it must be trusted with them as a worker is.
contract ChallengerRegistry is IChallengerRegistry, ReentrancyGuard {
    address private immutable _deployer;
    IDataRefinerRegistry public immutable refinerRegistry;
    ITeePool public immutable teePool;
    uint256 public immutable bond;
    address public game;
    uint256 public totalBonds;

    mapping(uint256 dlpId => mapping(address account => Challenger)) private _challengers;

    /// @param bond_ what each challenger posts when it joins, in wei
    constructor(IDataRefinerRegistry refiners, ITeePool pool, uint256 bond_) {
        _deployer = msg.sender;
        refinerRegistry = refiners;
        teePool = pool;
        bond = bond_;
    }

    /// @inheritdoc IChallengerRegistry
    function bindGame(address game_) external {
        if (msg.sender != _deployer) revert ChallengerRegistryNotDeployer(msg.sender);
        if (game != address(0)) revert ChallengerRegistryAlreadyBound();
        if (game_ == address(0)) revert ChallengerRegistryZeroAddress();
        game = game_;
        emit GameBound(game_);
    }

    /// @inheritdoc IChallengerRegistry
    function admit(uint256 dlpId, address account) external {
        if (refinerRegistry.dlpOwner(dlpId) != msg.sender) revert ChallengerRegistryNotDataDaoOwner(dlpId, msg.sender);
        if (!teePool.isActiveTee(account)) revert ChallengerRegistryNotValidator(account);
        Challenger storage challenger = _challengers[dlpId][account];
        if (challenger.admitted) revert ChallengerRegistryAlreadyAdmitted(dlpId, account);
        challenger.admitted = true;
        emit ChallengerAdmitted(dlpId, account);
    }

    /// @inheritdoc IChallengerRegistry
    function join(uint256 dlpId) external payable {
        Challenger storage challenger = _challengers[dlpId][msg.sender];
        if (!challenger.admitted) revert ChallengerRegistryNotAdmitted(dlpId, msg.sender);
        if (!teePool.isActiveTee(msg.sender)) revert ChallengerRegistryNotValidator(msg.sender);
        if (challenger.bond != 0) revert ChallengerRegistryAlreadyJoined(dlpId, msg.sender);
        if (msg.value != bond || bond == 0) revert ChallengerRegistryWrongBond(msg.value, bond);
        challenger.bond = msg.value;
        totalBonds += msg.value;
        emit ChallengerJoined(dlpId, msg.sender, msg.value);
    }

    /// @inheritdoc IChallengerRegistry
    function leave(uint256 dlpId) external nonReentrant returns (uint256 amount) {
        Challenger storage challenger = _joined(dlpId, msg.sender);
        if (challenger.lockedIn != bytes32(0)) {
            revert ChallengerRegistryBondLocked(dlpId, msg.sender, challenger.lockedIn);
        }
        amount = challenger.bond;
        challenger.bond = 0;
        totalBonds -= amount;
        emit ChallengerLeft(dlpId, msg.sender, amount);
        _send(msg.sender, amount);
    }

    /// @inheritdoc IChallengerRegistry
    function lock(uint256 dlpId, address account, bytes32 taskId) external {
        _requireGame();
        Challenger storage challenger = _joined(dlpId, account);
        if (challenger.lockedIn != bytes32(0)) {
            revert ChallengerRegistryBondLocked(dlpId, account, challenger.lockedIn);
        }
        challenger.lockedIn = taskId;
        challenger.made++;
        emit ChallengerBondLocked(dlpId, account, taskId);
    }

    /// @inheritdoc IChallengerRegistry
    function release(uint256 dlpId, address account, bool won, uint256 reward) external {
        _requireGame();
        Challenger storage challenger = _locked(dlpId, account);
        bytes32 taskId = challenger.lockedIn;
        challenger.lockedIn = bytes32(0);
        if (won) {
            challenger.won++;
            challenger.reputation += 1;
            challenger.rewards += reward;
        }
        emit ChallengerBondReleased(dlpId, account, taskId, won);
    }

    /// @inheritdoc IChallengerRegistry
    function slash(uint256 dlpId, address account) external nonReentrant returns (uint256 amount) {
        _requireGame();
        Challenger storage challenger = _locked(dlpId, account);
        bytes32 taskId = challenger.lockedIn;
        amount = challenger.bond;
        challenger.bond = 0;
        challenger.lockedIn = bytes32(0);
        challenger.lost++;
        challenger.reputation -= 2;
        totalBonds -= amount;
        emit ChallengerSlashed(dlpId, account, taskId, amount);
        _send(msg.sender, amount);
    }

    /// @inheritdoc IChallengerRegistry
    function isChallenger(uint256 dlpId, address account) external view returns (bool) {
        return _challengers[dlpId][account].bond != 0 && teePool.isActiveTee(account);
    }

    /// @inheritdoc IChallengerRegistry
    function challengers(uint256 dlpId, address account) external view returns (Challenger memory) {
        return _challengers[dlpId][account];
    }

    function _joined(uint256 dlpId, address account) private view returns (Challenger storage challenger) {
        challenger = _challengers[dlpId][account];
        if (challenger.bond == 0) revert ChallengerRegistryNotJoined(dlpId, account);
    }

    function _locked(uint256 dlpId, address account) private view returns (Challenger storage challenger) {
        challenger = _challengers[dlpId][account];
        if (challenger.lockedIn == bytes32(0)) revert ChallengerRegistryNotLocked(dlpId, account);
    }

    function _requireGame() private view {
        if (msg.sender != game) revert ChallengerRegistryNotGame(msg.sender);
    }

    function _send(address to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert ChallengerRegistryTransferFailed();
    }
}
