// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IReadsLedger} from "../interfaces/IReadsLedger.sol";
import {IDataRefinerRegistry} from "../interfaces/IDataRefinerRegistry.sol";
import {IDataRegistry} from "../interfaces/IDataRegistry.sol";
import {IDataAnchoringToken} from "../interfaces/dat/IDataAnchoringToken.sol";
import {AnchoringTokenIds} from "./AnchoringTokenIds.sol";

/// @title ReadsLedger
/// @notice The one way DataCoop splits a payment for refined data, shared by the QueryEngine (queries)
///         and the compute Settlement (tasks), so both pay the protocol, the DataDAO and the
///         contributors alike: the protocol's and the DataDAO's shares are credited at once, the
///         contributors' cut waits for leaves claimed against the refiner's root, and whatever
///         flooring leaves goes to the DataDAO's owner. Payees are read from the registries, never
///         taken from the caller: a leaf pays the holder of the file's Data Anchoring Token in the
///         refiner's DataDAO class, or the file's registry owner when it has none. Earnings are pulled.
/// @dev Each deriving contract keeps its own error names (part of its ABI): the ledger reports a
///      failure through `_fail`, which must revert.
abstract contract ReadsLedger is IReadsLedger, ReentrancyGuard {
    using SafeERC20 for IERC20;

    uint256 internal constant _BPS = 10_000;

    enum Fault {
        NoReadsCommitted, // (payment id, refiner id)
        MalformedReads, // (refiner id)
        BadProof, // (payment id, file id)
        ReadAlreadyClaimed, // (payment id, file id)
        RowsAboveTotal, // (claimed rows, total rows)
        NothingToClaim, // (token)
        TransferFailed // ()
    }

    IDataRefinerRegistry public immutable refinerRegistry;
    IDataRegistry public immutable dataRegistry;
    IDataAnchoringToken public immutable dataAnchoringToken;

    mapping(address token => mapping(address account => uint256 amount)) private _earnings;
    mapping(bytes32 id => mapping(uint256 refinerId => Committed)) private _committed;
    /// One bit per file id: a leaf is claimed at most once even if a lying root repeats a file.
    mapping(bytes32 id => mapping(uint256 refinerId => mapping(uint256 word => uint256 bits))) private _claimedFiles;

    constructor(IDataRefinerRegistry refiners, IDataRegistry registry) {
        refinerRegistry = refiners;
        dataRegistry = registry;
        dataAnchoringToken = refiners.dlpRegistry().dataAnchoringToken();
    }

    /// @inheritdoc IReadsLedger
    function earnings(address token, address account) external view returns (uint256) {
        return _earnings[token][account];
    }

    /// @inheritdoc IReadsLedger
    function claim(address token) external nonReentrant returns (uint256 amount) {
        amount = _earnings[token][msg.sender];
        if (amount == 0) _fail(Fault.NothingToClaim, bytes32(0), uint160(token), 0);
        _earnings[token][msg.sender] = 0;
        emit Claimed(msg.sender, token, amount);
        _pay(token, msg.sender, amount);
    }

    /// @inheritdoc IReadsLedger
    function claimReads(
        bytes32 queryId,
        Reads calldata reads,
        bytes32[] calldata proofs,
        uint256[] calldata proofLengths
    ) external nonReentrant returns (uint256 amount) {
        Committed storage committed = _committed[queryId][reads.refinerId];
        if (committed.root == bytes32(0)) _fail(Fault.NoReadsCommitted, queryId, reads.refinerId, 0);
        if (
            reads.fileIds.length == 0 || reads.fileIds.length != reads.rowCounts.length
                || reads.fileIds.length != proofLengths.length
        ) {
            _fail(Fault.MalformedReads, queryId, reads.refinerId, 0);
        }
        uint256 dlpId = _dlpOf(reads.refinerId);
        uint256 offset = 0;
        for (uint256 f = 0; f < reads.fileIds.length; f++) {
            uint256 end = offset + proofLengths[f];
            if (end > proofs.length) _fail(Fault.MalformedReads, queryId, reads.refinerId, 0);
            // Counted in storage as it goes, which keeps this loop within the stack's reach.
            committed.claimedRows += reads.rowCounts[f];
            amount += _claimLeaf(queryId, reads, f, dlpId, committed, proofs[offset:end]);
            offset = end;
        }
        if (offset != proofs.length) _fail(Fault.MalformedReads, queryId, reads.refinerId, 0);
        // A root whose total understates its leaves cannot pay out more than the contributors' cut.
        uint256 claimedRows = committed.claimedRows;
        if (claimedRows > committed.totalRows) _fail(Fault.RowsAboveTotal, queryId, claimedRows, committed.totalRows);
        committed.paid += amount;
        if (claimedRows == committed.totalRows) {
            // Every row is paid: what flooring each leaf's share left goes to the DataDAO.
            _earn(
                queryId,
                refinerRegistry.dlpOwner(dlpId),
                committed.token,
                committed.contributorsCut - committed.paid
            );
            committed.paid = committed.contributorsCut;
        }
    }

    /// @inheritdoc IReadsLedger
    function committedReads(bytes32 queryId, uint256 refinerId) external view returns (Committed memory) {
        return _committed[queryId][refinerId];
    }

    /// @inheritdoc IReadsLedger
    function readClaimed(bytes32 queryId, uint256 refinerId, uint256 fileId) public view returns (bool) {
        return _claimedFiles[queryId][refinerId][fileId >> 8] & (1 << (fileId & 0xff)) != 0;
    }

    /// @dev Splits `price` paid to read `refinerId`'s tables: the protocol's and the DataDAO's shares
    ///      are credited at once; the rest, the contributors' cut, is kept for claims against the
    ///      refiner's root when the payment `read` its rows, or goes to the DataDAO's owner when not.
    function _split(
        bytes32 id,
        address token,
        uint256 price,
        uint256 refinerId,
        uint256 protocolShareBps,
        address treasury,
        uint256 dataDaoShareBps,
        bool read
    ) internal {
        uint256 protocolCut = price * protocolShareBps / _BPS;
        uint256 contributorsCut = price - protocolCut - price * dataDaoShareBps / _BPS;
        if (read) _committed[id][refinerId].contributorsCut += contributorsCut;
        _earn(id, treasury, token, protocolCut);
        _earn(
            id, refinerRegistry.dlpOwner(_dlpOf(refinerId)), token, price - protocolCut - (read ? contributorsCut : 0)
        );
    }

    /// @dev Every refiner read must be one the payment pays for (`paidRefiners`): rows of a table not paid
    ///      for are refused rather than recorded as read and paid to nobody. Reads are in ascending
    ///      refiner order, each with a root and rows.
    function _requireCovered(ReadsRoot[] calldata reads, uint256[] memory paidRefiners) internal pure {
        uint256 previous = 0;
        for (uint256 r = 0; r < reads.length; r++) {
            uint256 refinerId = reads[r].refinerId;
            if (refinerId <= previous || reads[r].root == bytes32(0) || reads[r].totalRows == 0) {
                _fail(Fault.MalformedReads, bytes32(0), refinerId, 0);
            }
            previous = refinerId;
            bool covered = false;
            for (uint256 i = 0; i < paidRefiners.length && !covered; i++) {
                covered = paidRefiners[i] == refinerId;
            }
            if (!covered) _fail(Fault.MalformedReads, bytes32(0), refinerId, 0);
        }
    }

    /// @dev Whether `reads` name `refinerId`.
    function _wasRead(ReadsRoot[] calldata reads, uint256 refinerId) internal pure returns (bool) {
        for (uint256 r = 0; r < reads.length; r++) {
            if (reads[r].refinerId == refinerId) return true;
        }
        return false;
    }

    /// @dev Commits the root of a refiner's reads, after every `_split` of the payment.
    function _commit(bytes32 id, address token, ReadsRoot memory reads, string memory leavesUrl) internal {
        Committed storage committed = _committed[id][reads.refinerId];
        committed.root = reads.root;
        committed.totalRows = reads.totalRows;
        committed.token = token;
        emit ReadsCommitted(id, reads.refinerId, reads.root, reads.totalRows, committed.contributorsCut, leavesUrl);
    }

    function _earn(bytes32 id, address account, address token, uint256 amount) internal {
        if (amount == 0) return;
        _earnings[token][account] += amount;
        emit Earned(id, account, token, amount);
    }

    function _pay(address token, address to, uint256 amount) internal {
        if (token == address(0)) {
            (bool sent,) = payable(to).call{value: amount}("");
            if (!sent) _fail(Fault.TransferFailed, bytes32(0), 0, 0);
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }

    function _dlpOf(uint256 refinerId) internal view returns (uint256) {
        return refinerRegistry.refinerDlpId(refinerId); // not refiners(): its strings cost a claim ~20k gas
    }

    /// @dev Reverts with the deriving contract's error for `fault` (its arguments as the enum names them).
    function _fail(Fault fault, bytes32 id, uint256 a, uint256 b) internal pure virtual;

    /// @dev Pays leaf `leafIndex` of `reads`: its share goes to the holder of the file's DAT in DataDAO `dlpId`'s class, or to the
    ///      file's owner per the DataRegistry when it has none; the registry reverts for a file the
    ///      refiner never refined. Whoever sends the claim, only that payee is paid.
    function _claimLeaf(
        bytes32 id,
        Reads calldata reads,
        uint256 leafIndex,
        uint256 dlpId,
        Committed storage committed,
        bytes32[] calldata proof
    ) private returns (uint256 share) {
        uint256 refinerId = reads.refinerId;
        uint256 fileId = reads.fileIds[leafIndex];
        uint256 rows = reads.rowCounts[leafIndex];
        if (rows == 0) _fail(Fault.MalformedReads, id, refinerId, 0);
        // Leaves are hashed twice, as OpenZeppelin's StandardMerkleTree does, so no inner node is a leaf.
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(fileId, rows))));
        if (!MerkleProof.verifyCalldata(proof, committed.root, leaf)) _fail(Fault.BadProof, id, fileId, 0);
        if (readClaimed(id, refinerId, fileId)) _fail(Fault.ReadAlreadyClaimed, id, fileId, 0);
        _claimedFiles[id][refinerId][fileId >> 8] |= 1 << (fileId & 0xff);
        address payee = dataRegistry.refinedFileOwner(fileId, refinerId);
        address holder = dataAnchoringToken.holderOf(AnchoringTokenIds.tokenIdOf(dlpId, fileId));
        if (holder != address(0)) payee = holder;
        share = Math.mulDiv(committed.contributorsCut, rows, committed.totalRows);
        emit RowsRead(id, fileId, payee, refinerId, rows);
        _earn(id, payee, committed.token, share);
    }
}
