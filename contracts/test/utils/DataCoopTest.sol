// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {vm} from "./Vm.sol";
import {DataCoopDeployment} from "../../script/DeployDataCoop.s.sol";
import {DataRegistry} from "../../src/DataRegistry.sol";
import {TeePool} from "../../src/TeePool.sol";
import {DataLiquidityPool} from "../../src/DataLiquidityPool.sol";
import {DataLiquidityPoolRegistry} from "../../src/DataLiquidityPoolRegistry.sol";
import {DataDaoToken} from "../../src/DataDaoToken.sol";
import {DataRefinerRegistry} from "../../src/DataRefinerRegistry.sol";
import {DataAnchoringToken} from "../../src/dat/DataAnchoringToken.sol";
import {QueryEngine} from "../../src/QueryEngine.sol";
import {IQueryEngine} from "../../src/interfaces/IQueryEngine.sol";
import {IReadsLedger} from "../../src/interfaces/IReadsLedger.sol";
import {ReadsTree} from "./ReadsTree.sol";
import {IDataRegistry} from "../../src/interfaces/IDataRegistry.sol";
import {ITeePool} from "../../src/interfaces/ITeePool.sol";
import {IDataLiquidityPoolRegistry} from "../../src/interfaces/IDataLiquidityPoolRegistry.sol";

/// @notice A deployed DataCoop with one validator and one DataDAO, and the steps of the
///         contribution, refinement and query flows as helpers.
abstract contract DataCoopTest {
    uint256 internal constant TEE_FEE = 0.01 ether;
    uint256 internal constant CANCEL_DELAY = 1 hours;
    uint256 internal constant REWARD_PER_FILE = 100e18;
    uint256 internal constant REWARD_BUDGET = 1_000_000e18;
    uint256 internal constant SCORE_ONE = 1e18;
    bytes32 internal constant PROGRAM_DIGEST = sha256("builtin:declarative/v1");
    string internal constant PROGRAM_URL = "builtin:declarative/v1";

    uint256 internal constant TEE_KEY = 0x7EE1;
    uint256 internal constant OTHER_TEE_KEY = 0x7EE2;

    uint256 internal constant PROTOCOL_SHARE_BPS = 1_000;
    uint256 internal constant DATA_DAO_SHARE_BPS = 2_000;
    uint256 internal constant BPS = 10_000;
    // SHA-256 of "schema:health/v1" and "refiner:health/v1", written out: a sha256() call is a
    // precompile call and would use up a pending prank or expectRevert.
    bytes32 internal constant SCHEMA_DIGEST = 0x6c10f6f9d15543c9cb662f161e3753758b87cd9d5bb378dce8a0886587f84b19;
    bytes32 internal constant REFINER_DIGEST = 0x219a624dd081e71b5f2bf589657c9bbd6df8eaf0345eaa8fef4dd26ad8cb9873;
    bytes32 internal constant SQL_HASH = keccak256("SELECT COUNT(*) FROM users");
    bytes internal constant SERVICE_KEY_WRAP = hex"5e5e";
    uint256 internal constant SERVICE_KEY = 0x5E41;
    uint256 internal constant BUILDER_KEY = 0xB17D;

    DataRegistry internal registry;
    TeePool internal pool;
    DataLiquidityPoolRegistry internal dlps;
    DataLiquidityPool internal dlp;
    DataDaoToken internal token;
    uint256 internal dlpId;
    DataRefinerRegistry internal refinerRegistry;
    QueryEngine internal engine;
    DataAnchoringToken internal dat;
    /// Everything deployed, the compute contracts included.
    DataCoopDeployment.Contracts internal deployment;

    address internal tee = vm.addr(TEE_KEY);
    address internal alice = vm.addr(0xA11CE);
    address internal bob = vm.addr(0xB0B);
    address internal daoOwner = vm.addr(0xDA0);
    address internal service = vm.addr(SERVICE_KEY);
    address internal builder = vm.addr(BUILDER_KEY);
    address internal treasury = vm.addr(0x7EA5);

    function setUp() public virtual {
        DataCoopDeployment.Contracts memory c = DataCoopDeployment.deploy(address(this), TEE_FEE, CANCEL_DELAY);
        deployment = c;
        registry = c.dataRegistry;
        pool = c.teePool;
        dlps = c.dlpRegistry;
        refinerRegistry = c.refinerRegistry;
        engine = c.queryEngine;
        dat = c.dataAnchoringToken;
        engine.setProtocolShare(PROTOCOL_SHARE_BPS, treasury); // a treasury apart from the admin
        _addTee(tee, 1);
        (dlpId, dlp) = _createDataDao("Health DAO", PROGRAM_DIGEST);
        token = DataDaoToken(dlp.token());
        vm.deal(alice, 100 ether);
        vm.deal(bob, 100 ether);
        vm.deal(builder, 100 ether);
        vm.label(tee, "tee");
        vm.label(alice, "alice");
        vm.label(bob, "bob");
        vm.label(daoOwner, "daoOwner");
        vm.label(service, "service");
        vm.label(builder, "builder");
        vm.label(treasury, "treasury");
    }

    function _addTee(address teeAddress, uint256 keySeed) internal {
        pool.addTee(
            teeAddress,
            "http://127.0.0.1:7000",
            abi.encodePacked("rsa-public-key-", keySeed),
            _secpKey(keySeed),
            "software",
            keccak256(abi.encodePacked("measurement", keySeed))
        );
    }

    function _secpKey(uint256 seed) internal pure returns (bytes memory key) {
        key = new bytes(65);
        key[0] = 0x04;
        bytes32 body = keccak256(abi.encodePacked(seed));
        for (uint256 i = 0; i < 32; i++) {
            key[i + 1] = body[i];
        }
    }

    function _createDataDao(string memory name, bytes32 programDigest)
        internal
        returns (uint256 id, DataLiquidityPool created)
    {
        vm.prank(daoOwner);
        (uint256 newId, address poolAddress) = dlps.createDataLiquidityPool(
            IDataLiquidityPoolRegistry.DataDaoParams({
                name: name,
                tokenName: string.concat(name, " Token"),
                tokenSymbol: "DAT",
                rewardBudget: REWARD_BUDGET,
                rewardPerFile: REWARD_PER_FILE,
                programDigest: programDigest,
                programUrl: PROGRAM_URL
            })
        );
        return (newId, DataLiquidityPool(poolAddress));
    }

    /// @dev The DataDAO's owner sets the reward per file and, for a cut, lets its delay pass.
    function _setRewardPerFile(uint256 rewardPerFile) internal {
        vm.prank(daoOwner);
        dlp.updateRewardPerFile(rewardPerFile);
        vm.warp(block.timestamp + dlp.REWARD_DECREASE_DELAY());
    }

    function _addFile(address owner, string memory url) internal returns (uint256 fileId) {
        bytes32 checksum = sha256(bytes(url)); // before the prank: a precompile call would use it up
        vm.prank(owner);
        fileId = registry.addFile(url, checksum);
    }

    function _requestJob(address payer, uint256 fileId) internal returns (uint256 jobId) {
        vm.prank(payer);
        jobId = pool.requestContributionProof{value: TEE_FEE}(fileId, dlpId);
    }

    function _proofData(uint256 score, uint256 forDlp) internal pure returns (ITeePool.ProofData memory) {
        return ITeePool.ProofData({
            score: score,
            dlpId: forDlp,
            programDigest: PROGRAM_DIGEST,
            metadata: '{"valid":true}',
            proofUrl: "http://127.0.0.1:7001/blobs/attestation",
            instruction: ""
        });
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _signProof(uint256 key, uint256 jobId, ITeePool.ProofData memory data)
        internal
        view
        returns (bytes memory)
    {
        return _sign(key, pool.proofDigest(jobId, vm.addr(key), data));
    }

    /// @dev The assigned validator proves `jobId` with `score` for the fixture's DataDAO.
    function _prove(uint256 jobId, uint256 score) internal returns (uint256 proofIndex) {
        ITeePool.ProofData memory data = _proofData(score, dlpId);
        bytes memory signature = _signProof(TEE_KEY, jobId, data);
        vm.prank(tee);
        proofIndex = pool.addProof(jobId, data, signature);
    }

    /// @dev A file of `owner`, validated with `score`: returns the file id and the proof index.
    function _validatedFile(address owner, string memory url, uint256 score)
        internal
        returns (uint256 fileId, uint256 proofIndex)
    {
        fileId = _addFile(owner, url);
        proofIndex = _prove(_requestJob(owner, fileId), score);
    }

    /// @dev A file of `owner` validated with `score` and rewarded: returns its Data Anchoring Token's id.
    function _rewardedToken(address owner, string memory url, uint256 score) internal returns (uint256 tokenId) {
        (uint256 fileId, uint256 proofIndex) = _validatedFile(owner, url, score);
        vm.prank(owner);
        dlp.requestReward(fileId, proofIndex);
        tokenId = dat.tokenIdOf(dlpId, fileId);
    }

    function _bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        return min + (x % (max - min + 1));
    }

    function _fileOf(uint256 fileId) internal view returns (IDataRegistry.FileRecord memory) {
        return registry.fileRecords(fileId);
    }

    // ---- refinement

    /// @dev A DataDAO owned by `owner` rather than the fixture's `daoOwner`.
    function _createDataDaoOwnedBy(address owner, string memory name) internal returns (uint256 id) {
        IDataLiquidityPoolRegistry.DataDaoParams memory params = IDataLiquidityPoolRegistry.DataDaoParams({
            name: name,
            tokenName: string.concat(name, " Token"),
            tokenSymbol: "DAT",
            rewardBudget: REWARD_BUDGET,
            rewardPerFile: REWARD_PER_FILE,
            programDigest: PROGRAM_DIGEST, // a sha256() call: before the prank
            programUrl: PROGRAM_URL
        });
        vm.prank(owner);
        (id,) = dlps.createDataLiquidityPool(params);
    }

    function _addSchema() internal returns (uint256 schemaId) {
        schemaId = refinerRegistry.addSchema("health", "sqlite", "ipfs://schema/health", SCHEMA_DIGEST);
    }

    /// @dev A refiner of DataDAO `forDlp`, added by its owner.
    function _addRefiner(uint256 forDlp, uint256 schemaId) internal returns (uint256 refinerId) {
        address owner = refinerRegistry.dlpOwner(forDlp);
        vm.prank(owner);
        refinerId =
            refinerRegistry.addRefiner(forDlp, "health refiner", schemaId, "ipfs://refiner/health", REFINER_DIGEST);
    }

    /// @dev Lets `serviceAddress` refine and serve queries for DataDAO `forDlp`.
    function _addService(uint256 forDlp, address serviceAddress) internal {
        address owner = refinerRegistry.dlpOwner(forDlp);
        vm.prank(owner);
        refinerRegistry.addRefinementService(forDlp, serviceAddress);
    }

    /// @dev A file of `owner` proved for DataDAO `forDlp` with `score` by the fixture's validator.
    function _validatedFileFor(address owner, string memory url, uint256 score, uint256 forDlp)
        internal
        returns (uint256 fileId)
    {
        fileId = _addFile(owner, url);
        vm.deal(owner, owner.balance + TEE_FEE);
        vm.prank(owner);
        uint256 jobId = pool.requestContributionProof{value: TEE_FEE}(fileId, forDlp);
        ITeePool.ProofData memory data = _proofData(score, forDlp);
        bytes memory signature = _signProof(TEE_KEY, jobId, data);
        vm.prank(tee);
        pool.addProof(jobId, data, signature);
    }

    /// @dev The fixture's `service` stores `fileId` refined by `refinerId`, its key wrapped to itself.
    function _refine(uint256 fileId, uint256 refinerId) internal {
        string memory url = string.concat("ipfs://refined/", Strings.toString(fileId), "/", Strings.toString(refinerId));
        vm.prank(service);
        registry.addRefinementWithPermission(fileId, refinerId, url, service, SERVICE_KEY_WRAP);
    }

    /// @dev A file of `owner`, validated for the refiner's DataDAO and refined by `refinerId`.
    function _refinedFile(address owner, string memory url, uint256 refinerId) internal returns (uint256 fileId) {
        uint256 forDlp = refinerRegistry.refiners(refinerId).dlpId;
        fileId = _validatedFileFor(owner, url, SCORE_ONE, forDlp);
        _refine(fileId, refinerId);
    }

    // ---- queries

    /// @dev A permission for `grantee` (anyone when zero) on every table of `refinerId`, granted by
    ///      the DataDAO's owner and so approved at once.
    function _grantPermission(address grantee, uint256 refinerId, uint256 price, address payToken)
        internal
        returns (uint256 permissionId)
    {
        address owner = refinerRegistry.dlpOwner(refinerRegistry.refiners(refinerId).dlpId);
        vm.prank(owner);
        permissionId = grantee == address(0)
            ? engine.addGenericPermission(refinerId, "", "", price, payToken)
            : engine.addPermission(grantee, refinerId, "", "", price, payToken);
    }

    /// @dev What `grantee` signs to let the fixture's `service` charge up to `maxPrice`, for an hour.
    function _queryRequest(address grantee, address payToken, uint256 maxPrice, uint256 nonce)
        internal
        view
        returns (IQueryEngine.QueryRequest memory)
    {
        return IQueryEngine.QueryRequest({
            grantee: grantee,
            service: service,
            sqlHash: SQL_HASH,
            token: payToken,
            maxPrice: maxPrice,
            nonce: nonce,
            deadline: block.timestamp + 1 hours
        });
    }

    /// @dev The EIP-712 signature of `request` by `key`.
    function _signQuery(uint256 key, IQueryEngine.QueryRequest memory request) internal view returns (bytes memory) {
        return _sign(key, engine.queryDigest(request));
    }

    /// @dev Settles as the service the request names; compute every argument before calling.
    function _settle(
        IQueryEngine.QueryRequest memory request,
        bytes memory signature,
        uint256[] memory permissionIds,
        IQueryEngine.Reads[] memory reads
    ) internal returns (bytes32 queryId, uint256 price) {
        (queryId, price) = _settleOnly(request, signature, permissionIds, reads);
        // A settlement the test expected to revert returns zeros: there is nothing to claim.
        if (queryId != bytes32(0)) _claimAll(queryId, reads);
    }

    /// @dev Settles committing the roots of `reads`, claiming nothing.
    function _settleOnly(
        IQueryEngine.QueryRequest memory request,
        bytes memory signature,
        uint256[] memory permissionIds,
        IQueryEngine.Reads[] memory reads
    ) internal returns (bytes32 queryId, uint256 price) {
        vm.prank(request.service);
        (queryId, price) =
            engine.settleQuery(request, signature, permissionIds, ReadsTree.roots(reads), "http://storage/leaves");
    }

    /// @dev `claimReads` with one proof per leaf.
    function _claimReads(bytes32 queryId, IQueryEngine.Reads memory reads, bytes32[][] memory proofs)
        internal
        returns (uint256)
    {
        (bytes32[] memory flat, uint256[] memory lengths) = ReadsTree.flatten(proofs);
        return engine.claimReads(queryId, reads, flat, lengths);
    }

    /// @dev Claims every leaf of `reads`, as an outsider: the shares go to the files' owners anyway.
    function _claimAll(bytes32 queryId, IQueryEngine.Reads[] memory reads) internal {
        for (uint256 r = 0; r < reads.length; r++) {
            if (reads[r].fileIds.length == 0) continue;
            vm.prank(address(0xC1A1));
            _claimReads(queryId, reads[r], ReadsTree.proofs(reads[r]));
        }
    }

    /// @dev Reads of one refiner.
    function _reads(uint256 refinerId, uint256[] memory fileIds, uint256[] memory rowCounts)
        internal
        pure
        returns (IQueryEngine.Reads[] memory reads)
    {
        reads = new IQueryEngine.Reads[](1);
        reads[0] = IReadsLedger.Reads({refinerId: refinerId, fileIds: fileIds, rowCounts: rowCounts});
    }

    function _noReads() internal pure returns (IQueryEngine.Reads[] memory) {
        return new IQueryEngine.Reads[](0);
    }

    function _noRoots() internal pure returns (IQueryEngine.ReadsRoot[] memory) {
        return new IQueryEngine.ReadsRoot[](0);
    }

    function _uints(uint256 a) internal pure returns (uint256[] memory list) {
        list = new uint256[](1);
        list[0] = a;
    }

    function _uints(uint256 a, uint256 b) internal pure returns (uint256[] memory list) {
        list = new uint256[](2);
        list[0] = a;
        list[1] = b;
    }

    function _uints(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory list) {
        list = new uint256[](3);
        list[0] = a;
        list[1] = b;
        list[2] = c;
    }
}
