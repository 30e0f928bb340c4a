// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IChallengerRegistry
/// @notice LazAI's Challenger Registry: per DataDAO, the validators that may challenge optimistic (OP)
///         results of tasks reading its data. A challenger is an active TeePool validator that the
///         DataDAO's owner admitted and that posted the registry's bond (native coin). Its bond backs
///         every dispute it opens: it is locked while the dispute runs, returned to it on leaving, and
///         paid to the worker if its challenge proves false. The registry keeps each challenger's
///         activity, reputation and rewards. Only its dispute game locks, releases and slashes bonds.
interface IChallengerRegistry {
    /// @notice A challenger of one DataDAO. `bond` is zero when it has not joined (or left, or was
    ///         slashed); `lockedIn` the task whose dispute holds the bond (zero: none). `reputation`
    ///         rises by one for each challenge won and falls by two for each one lost, so a challenger
    ///         that is wrong as often as right sinks; `rewards` is what its won challenges paid it.
    struct Challenger {
        bool admitted;
        uint256 bond;
        bytes32 lockedIn;
        uint64 made;
        uint64 won;
        uint64 lost;
        int64 reputation;
        uint256 rewards;
    }

    event GameBound(address game);
    event ChallengerAdmitted(uint256 indexed dlpId, address indexed account);
    event ChallengerJoined(uint256 indexed dlpId, address indexed account, uint256 bond);
    event ChallengerLeft(uint256 indexed dlpId, address indexed account, uint256 bond);
    event ChallengerBondLocked(uint256 indexed dlpId, address indexed account, bytes32 indexed taskId);
    event ChallengerBondReleased(uint256 indexed dlpId, address indexed account, bytes32 indexed taskId, bool won);
    event ChallengerSlashed(uint256 indexed dlpId, address indexed account, bytes32 indexed taskId, uint256 bond);

    error ChallengerRegistryNotDeployer(address caller);
    error ChallengerRegistryAlreadyBound();
    error ChallengerRegistryZeroAddress();
    error ChallengerRegistryNotGame(address caller);
    error ChallengerRegistryNotDataDaoOwner(uint256 dlpId, address caller);
    error ChallengerRegistryNotValidator(address account);
    error ChallengerRegistryAlreadyAdmitted(uint256 dlpId, address account);
    error ChallengerRegistryNotAdmitted(uint256 dlpId, address account);
    error ChallengerRegistryAlreadyJoined(uint256 dlpId, address account);
    error ChallengerRegistryWrongBond(uint256 sent, uint256 required);
    error ChallengerRegistryNotJoined(uint256 dlpId, address account);
    /// @notice The account's bond backs the dispute of task `taskId`, which has not ended.
    error ChallengerRegistryBondLocked(uint256 dlpId, address account, bytes32 taskId);
    error ChallengerRegistryNotLocked(uint256 dlpId, address account);
    error ChallengerRegistryTransferFailed();

    /// @notice Names the dispute game that locks, releases and slashes bonds; once, by the deployer.
    function bindGame(address game) external;

    /// @notice Admits `account`, an active TeePool validator, as a challenger of DataDAO `dlpId`; its owner only.
    function admit(uint256 dlpId, address account) external;

    /// @notice Joins DataDAO `dlpId`'s challengers with exactly `bond()` as `msg.value`; admitted validators only.
    function join(uint256 dlpId) external payable;

    /// @notice Leaves DataDAO `dlpId`'s challengers, sending the caller's bond back; refused while it
    ///         is locked in a dispute. The admission stays: the caller may join again.
    function leave(uint256 dlpId) external returns (uint256 bond);

    /// @notice Locks `account`'s bond in the dispute of task `taskId` and counts the challenge; game only.
    function lock(uint256 dlpId, address account, bytes32 taskId) external;

    /// @notice Unlocks `account`'s bond after a dispute it did not lose: `won` with `reward`, or undecided.
    ///         Game only.
    function release(uint256 dlpId, address account, bool won, uint256 reward) external;

    /// @notice Sends `account`'s locked bond to the game after a challenge that proved false; game only.
    function slash(uint256 dlpId, address account) external returns (uint256 bond);

    /// @notice What joining costs, in wei.
    function bond() external view returns (uint256);

    /// @notice The dispute game (zero until bound).
    function game() external view returns (address);

    /// @notice Whether `account` may challenge (or referee) for DataDAO `dlpId`: joined with its bond
    ///         and still an active TeePool validator.
    function isChallenger(uint256 dlpId, address account) external view returns (bool);

    /// @notice `account`'s standing with DataDAO `dlpId` (all zero when none).
    function challengers(uint256 dlpId, address account) external view returns (Challenger memory);

    /// @notice Every bond the registry holds: joined ones, locked or not.
    function totalBonds() external view returns (uint256);
}
