// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {vm} from "./utils/Vm.sol";
import {DataCoopTest} from "./utils/DataCoopTest.sol";
import {DataCoopDeployment} from "../script/DeployDataCoop.s.sol";
import {DataLiquidityPool} from "../src/DataLiquidityPool.sol";
import {IDataRegistry} from "../src/interfaces/IDataRegistry.sol";
import {ITeePool} from "../src/interfaces/ITeePool.sol";
import {IDataLiquidityPool} from "../src/interfaces/IDataLiquidityPool.sol";
import {QueryEngine} from "../src/QueryEngine.sol";
import {IQueryEngine} from "../src/interfaces/IQueryEngine.sol";
import {IReadsLedger} from "../src/interfaces/IReadsLedger.sol";
import {ReadsTree} from "./utils/ReadsTree.sol";

/// @notice One test per flaw of the peers' contracts (PROTOCOL.md §7 and §8). Each passes here and
///         would fail on the peer's design, as its comment says.
contract PeerFlawsTest is DataCoopTest {
    uint256 private constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    /// Vana and LazAI: anyone may call addProof and append a proof to any file.
    function test_addProof_strangerCannotAppendProof() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        uint256 jobId = _requestJob(alice, fileId);
        IDataRegistry.FileProof memory forged;
        forged.score = SCORE_ONE;
        forged.dlpId = dlpId;
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNotTeePool.selector, bob));
        vm.prank(bob);
        registry.addProof(fileId, forged);

        ITeePool.ProofData memory data = _proofData(SCORE_ONE, dlpId);
        bytes memory signature = _sign(0xB0B, pool.proofDigest(jobId, bob, data));
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNotAssignedTee.selector, jobId, bob));
        vm.prank(bob);
        pool.addProof(jobId, data, signature);
        vm.assertEq(registry.fileProofsCount(fileId), 0, "no proof appended");
    }

    /// Vana: requestReward never checks the proof's dlpId, so a proof made for one DataDAO pays in
    /// every DataDAO sharing the validator pool.
    function test_requestReward_proofForAnotherDataDaoIsRejected() public {
        (uint256 otherId, DataLiquidityPool other) = _createDataDao("Other DAO", PROGRAM_DIGEST);
        (uint256 fileId, uint256 proofIndex) = _validatedFile(alice, "ipfs://a", SCORE_ONE);
        vm.expectRevert(
            abi.encodeWithSelector(IDataLiquidityPool.DataLiquidityPoolWrongDataDao.selector, fileId, dlpId)
        );
        other.requestReward(fileId, proofIndex);
        vm.assertTrue(otherId != dlpId, "two DataDAOs");
        dlp.requestReward(fileId, proofIndex);
    }

    /// Vana's pools take any payer's request for any file, so a stranger could hand someone's file to a
    /// DataDAO (which then refines and sells queries of it). Here only the owner gives a file to one.
    function test_requestContributionProof_onlyTheOwnerGivesAFileToADataDao() public {
        uint256 fileId = _addFile(alice, "ipfs://alices");
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNotFileOwner.selector, fileId, bob));
        _requestJob(bob, fileId);
        vm.assertEq(pool.jobRecords(_requestJob(alice, fileId)).payer, alice, "the owner's own request");
    }

    /// LazAI: the reward uses whichever proof the caller picks, so a contributor can request
    /// several validations and keep the best score. Here a score above zero is final (only a zero
    /// score may be validated again, and a file is paid once).
    function test_requestContributionProof_noSecondProofToPickFrom() public {
        (uint256 fileId,) = _validatedFile(alice, "ipfs://a", 0.2e18);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolAlreadyValidated.selector, fileId, dlpId, 1));
        vm.prank(alice);
        pool.requestContributionProof{value: TEE_FEE}(fileId, dlpId);
        vm.assertEq(registry.fileProofsCount(fileId), 1, "exactly one proof per DataDAO");
    }

    /// LazAI: settlement accepts an equal nonce, so one signed result settles twice. Here a
    /// signature binds its job, and a job takes one proof.
    function test_addProof_signatureCannotBeReplayed() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        uint256 firstJob = _requestJob(alice, fileId);
        ITeePool.ProofData memory data = _proofData(SCORE_ONE, dlpId);
        bytes memory signature = _signProof(TEE_KEY, firstJob, data);
        vm.prank(tee);
        pool.addProof(firstJob, data, signature);

        vm.expectRevert(
            abi.encodeWithSelector(ITeePool.TeePoolJobNotSubmitted.selector, firstJob, ITeePool.JobStatus.Completed)
        );
        vm.prank(tee);
        pool.addProof(firstJob, data, signature);

        uint256 otherJob = _requestJob(bob, _addFile(bob, "ipfs://b"));
        vm.expectRevert(); // recovers to some other address: the digest names the first job
        vm.prank(tee);
        pool.addProof(otherJob, data, signature);
    }

    /// Vana: the cancel delay is documented in blocks but compared with block.timestamp. Here it is
    /// seconds, and only time counts.
    function test_cancelJob_delayIsSecondsNotBlocks() public {
        vm.warp(1_000_000);
        vm.roll(100);
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        vm.roll(100 + CANCEL_DELAY * 10); // many blocks, no time
        vm.expectRevert(
            abi.encodeWithSelector(ITeePool.TeePoolCancelTooEarly.selector, jobId, 1_000_000 + CANCEL_DELAY)
        );
        vm.prank(alice);
        pool.cancelJob(jobId);
        vm.warp(1_000_000 + CANCEL_DELAY);
        vm.prank(alice);
        pool.cancelJob(jobId);
    }

    /// Audit of Vana's TeePool: cancelJob did not zero the bid, so repeated cancels drained the
    /// pool of everyone's fees.
    function test_cancelJob_repeatedCancelPaysOnce() public {
        _requestJob(bob, _addFile(bob, "ipfs://b")); // someone else's fee in the pool
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        vm.warp(block.timestamp + CANCEL_DELAY);
        vm.startPrank(alice);
        pool.cancelJob(jobId);
        vm.expectRevert(
            abi.encodeWithSelector(ITeePool.TeePoolJobNotSubmitted.selector, jobId, ITeePool.JobStatus.Canceled)
        );
        pool.cancelJob(jobId);
        pool.claim();
        vm.stopPrank();
        vm.assertEq(address(pool).balance, TEE_FEE, "bob's fee is still there");
        vm.assertEq(pool.claimable(alice), 0, "alice was paid once");
    }

    /// Vana: no way to revoke a permission or rotate a key.
    function test_revokeFilePermission_ownerCanWithdrawAndRotate() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.startPrank(alice);
        registry.addFilePermission(fileId, bob, bytes(hex"01"));
        registry.addFilePermission(fileId, bob, bytes(hex"02"));
        vm.assertEq(registry.filePermissions(fileId, bob), hex"02", "rotated");
        registry.revokeFilePermission(fileId, bob);
        vm.stopPrank();
        vm.assertEq(registry.filePermissions(fileId, bob), "", "revoked");
    }

    /// Vana: one key pair shared by all validators of a DataDAO.
    function test_addTee_keyOfAnotherValidatorIsRefused() public {
        bytes memory sharedKey = pool.teeRecords(tee).secp256k1PublicKey;
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolKeyInUse.selector, tee));
        pool.addTee(bob, "http://bob", "", sharedKey, "software", bytes32(0));
        bytes memory sharedRsa = pool.teeRecords(tee).rsaPublicKey;
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolKeyInUse.selector, tee));
        pool.addTee(bob, "http://bob", sharedRsa, "", "software", bytes32(0));
    }

    /// Vana: a validator's keys cannot be rotated. Here a validator rotates its own, and only its own.
    function test_updateTeeKeys_validatorRotatesOnlyItsOwnKeys() public {
        bytes memory newKey = _secpKey(42);
        vm.prank(tee);
        pool.updateTeeKeys("", newKey);
        vm.assertEq(pool.teeRecords(tee).secp256k1PublicKey, newKey, "rotated");
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNotActiveTee.selector, bob));
        vm.prank(bob);
        pool.updateTeeKeys(hex"0b", "");
    }

    /// Vana signs abi.encodePacked of strings with no chain id or contract: a signature made for
    /// another chain or another pool is valid everywhere. Here the EIP-712 domain binds both.
    function test_addProof_signatureFromAnotherChainOrPoolIsRejected() public {
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        ITeePool.ProofData memory data = _proofData(SCORE_ONE, dlpId);
        uint256 chainId = block.chainid;
        vm.chainId(chainId + 1);
        bytes memory otherChainSignature = _signProof(TEE_KEY, jobId, data);
        vm.chainId(chainId);
        vm.expectRevert();
        vm.prank(tee);
        pool.addProof(jobId, data, otherChainSignature);

        DataCoopDeployment.Contracts memory twin = DataCoopDeployment.deploy(address(this), TEE_FEE, CANCEL_DELAY);
        vm.assertTrue(twin.teePool.domainSeparator() != pool.domainSeparator(), "domains differ per contract");
    }

    /// §8: ECDSA.recover must reject high-s signatures, and replay protection keys on the digest,
    /// so a malleated copy of a valid signature is no second proof.
    function test_addProof_highSSignatureIsRejected() public {
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        ITeePool.ProofData memory data = _proofData(SCORE_ONE, dlpId);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(TEE_KEY, pool.proofDigest(jobId, tee, data));
        bytes memory malleated = abi.encodePacked(r, bytes32(SECP256K1_N - uint256(s)), v == 27 ? uint8(28) : uint8(27));
        vm.expectRevert(abi.encodeWithSignature("ECDSAInvalidSignatureS(bytes32)", bytes32(SECP256K1_N - uint256(s))));
        vm.prank(tee);
        pool.addProof(jobId, data, malleated);
    }

    /// §8: a mempool watcher who copies addFile(url) becomes the paid owner in Vana. Here the owner
    /// is the sender and urls are unique per owner: the copy neither blocks nor owns the file.
    function test_addFile_frontRunnerGetsNeitherTheUrlNorTheOwnership() public {
        uint256 copied = _addFile(bob, "ipfs://alice-data");
        uint256 genuine = _addFile(alice, "ipfs://alice-data");
        vm.assertTrue(copied != genuine, "both exist");
        vm.assertEq(registry.fileRecords(genuine).ownerAddress, alice, "alice owns hers");
        vm.assertEq(registry.fileIdByUrl(alice, "ipfs://alice-data"), genuine, "lookup by owner");
        vm.assertEq(registry.fileIdByUrl(bob, "ipfs://alice-data"), copied, "bob only has his copy");
    }

    // ---- query payments (QueryEngine's NatSpec: unlike Vana's, a service cannot charge a builder
    //      more than the builder signed for, nor for a query twice, nor pay anyone but the owners
    //      of files the refiner actually refined)

    /// Vana: the query service reports what to charge. Here the builder signs a maximum, and neither
    /// the service adding permissions nor the DataDAO raising prices can charge past it.
    function test_settleQuery_serviceCannotChargeMoreThanTheBuilderSigned() public {
        (uint256 refinerId, uint256 fileId) = _queryMarket();
        uint256 cheap = _grantPermission(builder, refinerId, 10, address(0));
        vm.prank(builder);
        engine.deposit{value: 1 ether}();
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 10, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        uint256 dear = _grantPermission(address(0), refinerId, 0.5 ether, address(0)); // added after signing
        IQueryEngine.Reads[] memory reads = _reads(refinerId, _uints(fileId), _uints(1));

        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEnginePriceAboveMax.selector, 0.5 ether + 10, 10));
        _settle(request, signature, _uints(cheap, dear), reads);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEnginePriceAboveMax.selector, 0.5 ether, 10));
        _settle(request, signature, _uints(dear), reads);
        vm.assertEq(engine.deposits(address(0), builder), 1 ether, "nothing charged");
        _settle(request, signature, _uints(cheap), reads);
        vm.assertEq(engine.deposits(address(0), builder), 1 ether - 10, "exactly what was signed for");
    }

    /// Vana: nothing ties a charge to one query, so it can be charged again. Here the query's id is
    /// the digest the builder signed: the same signature, a malleated copy of it, or other
    /// permissions and reads under it are all the same, already settled, query.
    function test_settleQuery_sameSignatureCannotChargeTwice() public {
        (uint256 refinerId, uint256 fileId) = _queryMarket();
        uint256 permissionId = _grantPermission(builder, refinerId, 10, address(0));
        uint256 other = _grantPermission(address(0), refinerId, 5, address(0));
        vm.prank(builder);
        engine.deposit{value: 1 ether}();
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 10, 1);
        bytes32 digest = engine.queryDigest(request);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(BUILDER_KEY, digest);
        bytes memory signature = abi.encodePacked(r, s, v);
        bytes memory malleated = abi.encodePacked(r, bytes32(SECP256K1_N - uint256(s)), v == 27 ? uint8(28) : uint8(27));
        IQueryEngine.Reads[] memory reads = _reads(refinerId, _uints(fileId), _uints(1));
        _settle(request, signature, _uints(permissionId), reads);

        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineAlreadySettled.selector, digest));
        _settle(request, signature, _uints(permissionId), reads);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineAlreadySettled.selector, digest));
        _settle(request, malleated, _uints(permissionId), reads);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineAlreadySettled.selector, digest));
        _settle(request, signature, _uints(other), _noReads());
        vm.assertEq(engine.deposits(address(0), builder), 1 ether - 10, "charged once");
    }

    /// Vana pays whom the service names. Here no payee is ever taken from the service: owners are
    /// read from the DataRegistry, which knows only files the refiner refined, so a read naming a
    /// validated but unrefined file, or an unvalidated one, is refused when claimed and pays nobody.
    function test_settleQuery_cannotPayAnAddressThatDidNotContribute() public {
        (uint256 refinerId, uint256 fileId) = _queryMarket();
        uint256 permissionId = _grantPermission(builder, refinerId, 1000, address(0));
        vm.prank(builder);
        engine.deposit{value: 1000}();
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 1000, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        uint256 validatedOnly = _validatedFileFor(bob, "ipfs://bob-validated", SCORE_ONE, dlpId);
        uint256 unvalidated = _addFile(service, "ipfs://service-own"); // the service naming itself

        // The root is the service's word and may name anything; each claim asks the DataRegistry.
        IQueryEngine.Reads[] memory reads =
            _reads(refinerId, _uints(fileId, validatedOnly, unvalidated), _uints(1, 99, 1));
        (bytes32 queryId,) = _settleOnly(request, signature, _uints(permissionId), reads);
        IQueryEngine.Reads memory one = IReadsLedger.Reads(refinerId, _uints(validatedOnly), _uints(99));
        bytes32[][] memory proofs = new bytes32[][](1);
        proofs[0] = ReadsTree.proof(reads[0], 1);
        vm.expectRevert(
            abi.encodeWithSelector(IDataRegistry.DataRegistryNoRefinement.selector, validatedOnly, refinerId)
        );
        _claimReads(queryId, one, proofs);
        one = IReadsLedger.Reads(refinerId, _uints(unvalidated), _uints(1));
        proofs[0] = ReadsTree.proof(reads[0], 2);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNoRefinement.selector, unvalidated, refinerId));
        _claimReads(queryId, one, proofs);

        one = IReadsLedger.Reads(refinerId, _uints(fileId), _uints(1));
        proofs[0] = ReadsTree.proof(reads[0], 0);
        _claimReads(queryId, one, proofs);
        vm.assertEq(engine.earnings(address(0), alice), 6, "the contributor: 1 row of 101 of 700");
        vm.assertEq(engine.earnings(address(0), bob), 0, "not refined, not paid");
        vm.assertEq(engine.earnings(address(0), service), 0, "the service is not paid");
    }

    /// Vana's signatures carry no domain. Here the request names its service: another service, even
    /// one the same DataDAO trusts, can neither submit it nor rename itself into it.
    function test_settleQuery_signatureIsBoundToItsService() public {
        (IQueryEngine.QueryRequest memory request, uint256 permissionId) = _signableQuery();
        address otherService = vm.addr(0x5E42);
        _addService(dlpId, otherService);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(BUILDER_KEY, engine.queryDigest(request));
        bytes memory signature = abi.encodePacked(r, s, v);

        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineWrongService.selector, service, otherService));
        vm.prank(otherService);
        engine.settleQuery(request, signature, _uints(permissionId), _noRoots(), "");

        request.service = otherService;
        address recovered = ecrecover(engine.queryDigest(request), v, r, s);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineBadSignature.selector, recovered, builder));
        _settle(request, signature, _uints(permissionId), _noReads());

        request.service = service; // where it was meant for, it works
        _settle(request, signature, _uints(permissionId), _noReads());
    }

    /// Vana's signatures carry no chain id: one made for another chain is valid everywhere. Here the
    /// EIP-712 domain binds the chain.
    function test_settleQuery_signatureFromAnotherChainIsRejected() public {
        (IQueryEngine.QueryRequest memory request, uint256 permissionId) = _signableQuery();
        uint256 chainId = block.chainid;
        vm.chainId(chainId + 1);
        bytes memory otherChainSignature = _signQuery(BUILDER_KEY, request);
        vm.chainId(chainId);
        vm.assertTrue(keccak256(otherChainSignature) != keccak256(_signQuery(BUILDER_KEY, request)), "differs");
        // it recovers to some other address: the digest names the chain
        address recovered = ECDSA.recover(engine.queryDigest(request), otherChainSignature);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineBadSignature.selector, recovered, builder));
        _settle(request, otherChainSignature, _uints(permissionId), _noReads());
        vm.assertEq(engine.deposits(address(0), builder), 1 ether, "nothing charged");
    }

    /// Vana's signatures carry no contract: one made for one deployment is valid on another. Here the
    /// EIP-712 domain binds the engine.
    function test_settleQuery_signatureForAnotherEngineIsRejected() public {
        (IQueryEngine.QueryRequest memory request,) = _signableQuery();
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(BUILDER_KEY, engine.queryDigest(request));
        QueryEngine twin = new QueryEngine(address(this), refinerRegistry, registry, 1_000, treasury, 2_000);
        uint256 refinerId = refinerRegistry.refinersCount();
        vm.prank(daoOwner);
        uint256 twinPermission = twin.addPermission(builder, refinerId, "", "", 10, address(0));
        vm.prank(builder);
        twin.deposit{value: 1 ether}();
        address recovered = ecrecover(twin.queryDigest(request), v, r, s);
        vm.assertTrue(recovered != builder, "another engine, another digest");
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineBadSignature.selector, recovered, builder));
        vm.prank(service);
        twin.settleQuery(request, abi.encodePacked(r, s, v), _uints(twinPermission), _noRoots(), "");
    }

    /// @dev A permission of 10 wei for the builder, a deposit of 1 ether and the request to sign.
    function _signableQuery() internal returns (IQueryEngine.QueryRequest memory request, uint256 permissionId) {
        (uint256 refinerId,) = _queryMarket();
        permissionId = _grantPermission(builder, refinerId, 10, address(0));
        vm.prank(builder);
        engine.deposit{value: 1 ether}();
        request = _queryRequest(builder, address(0), 10, 1);
    }

    /// @dev A refiner of the fixture DataDAO served by `service`, and a file of alice it refined.
    function _queryMarket() internal returns (uint256 refinerId, uint256 fileId) {
        refinerId = _addRefiner(dlpId, _addSchema());
        _addService(dlpId, service);
        fileId = _refinedFile(alice, "ipfs://alice-refined", refinerId);
    }
}
