// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IOwnershipRegistry
/// @notice Who owns a piece of data, by its hash: a data hash is bound to its owner once, on the
///         signature of a validator's enclave registered in the TeePool, and from then on every change
///         is a transaction of its owner (or a delegate the owner appointed): a transfer, a license
///         granted or revoked, a delegate appointed or dismissed.
/// @dev The data hash is keyed (HMAC-SHA256 of the plaintext under a secret of the DataDAO's enclaves),
///      so nobody outside them can confirm a guess of a private file's content by hashing it.
///      A license's scope is a bitmask (QUERY 1, COMPUTE 2, TRAINING 4): one license may grant several.
///      A license with a price is an offer until it is paid (`payLicense`): it grants nothing before,
///      and once paid it cannot be revoked (the buyer's protection: an owner who wants a license it can
///      end sets an expiry). The price is credited to the data's owner at payment, who withdraws it.
interface IOwnershipRegistry {
    /// @notice A data hash's binding and current owner.
    /// @param owner who owns it now (the zero address: never bound)
    /// @param fileId the registry's file it was bound for
    /// @param boundAt the enclave's time of binding, in seconds since the epoch
    /// @param validator the registered validator whose enclave signed the binding
    struct Binding {
        address owner;
        uint256 fileId;
        uint64 boundAt;
        address validator;
    }

    /// @notice What an owner (or delegate) grants when licensing.
    /// @param grantee who may use the data
    /// @param termsHash hash of the license terms' text
    /// @param termsUrl where the terms can be read
    /// @param scope bits of QUERY, COMPUTE and TRAINING; at least one, no other
    /// @param expiresAt when it stops granting, in seconds since the epoch; 0: never
    /// @param price what the grantee pays, in wei, once (`payLicense`) before the license grants; 0: free
    struct LicenseTerms {
        address grantee;
        bytes32 termsHash;
        string termsUrl;
        uint8 scope;
        uint64 expiresAt;
        uint256 price;
    }

    /// @notice The terms an owner set on its data: while set, the query and compute paths serve the
    ///         data only to holders of an active license of the matching scope.
    /// @param termsHash hash of the terms' text
    /// @param termsUrl where the terms can be read
    /// @param setAt when they were set, in seconds since the epoch; 0: no terms
    /// @param setBy the owner or delegate who set them
    struct Terms {
        bytes32 termsHash;
        string termsUrl;
        uint64 setAt;
        address setBy;
    }

    /// @notice A license as recorded; `paid` is true from the grant for a free one.
    struct License {
        uint256 licenseId;
        bytes32 dataHash;
        address grantedBy;
        bool revoked;
        bool paid;
        LicenseTerms terms;
    }

    event DataBound(
        bytes32 indexed dataHash, address indexed owner, uint256 indexed fileId, address validator, uint64 boundAt
    );
    event DataTransferred(bytes32 indexed dataHash, address indexed from, address indexed to, address by);
    event LicenseGranted(
        bytes32 indexed dataHash,
        uint256 indexed licenseId,
        address indexed grantee,
        uint8 scope,
        uint64 expiresAt,
        uint256 price,
        bytes32 termsHash,
        string termsUrl,
        address by
    );
    event LicenseRevoked(bytes32 indexed dataHash, uint256 indexed licenseId, address by);
    /// @notice License `licenseId`'s price was paid by `payer` and credited to `payee`, the data's owner then.
    event LicensePaid(
        bytes32 indexed dataHash, uint256 indexed licenseId, address indexed payer, address payee, uint256 amount
    );
    event EarningsWithdrawn(address indexed account, uint256 amount);
    event DelegateAdded(bytes32 indexed dataHash, address indexed owner, address indexed operator);
    event DelegateRemoved(bytes32 indexed dataHash, address indexed owner, address indexed operator);
    event TermsSet(bytes32 indexed dataHash, bytes32 termsHash, string termsUrl, address by);
    event TermsCleared(bytes32 indexed dataHash, address by);

    error OwnershipZeroAddress();
    error OwnershipZeroHash();
    /// @notice `dataHash` was never bound.
    error OwnershipUnknownHash(bytes32 dataHash);
    error OwnershipAlreadyBound(bytes32 dataHash, address owner);
    error OwnershipFileAlreadyBound(uint256 fileId, bytes32 dataHash);
    /// @notice The binding's signer is not an active validator of the TeePool.
    error OwnershipSignerNotValidator(address signer);
    /// @notice The registry records `registered` as file `fileId`'s owner, not `owner`.
    error OwnershipNotFileOwner(uint256 fileId, address owner, address registered);
    /// @notice The binding's time is past the latest block's time plus the allowed clock skew.
    error OwnershipBindingInFuture(uint64 boundAt, uint256 blockTime);
    error OwnershipNotOwnerOrDelegate(bytes32 dataHash, address caller);
    error OwnershipNotOwner(bytes32 dataHash, address caller);
    error OwnershipAlreadyOwner(bytes32 dataHash, address owner);
    /// @notice A scope is one or more of QUERY (1), COMPUTE (2) and TRAINING (4).
    error OwnershipInvalidScope(uint8 scope);
    error OwnershipExpiryInPast(uint64 expiresAt, uint256 blockTime);
    error OwnershipUnknownLicense(uint256 licenseId);
    error OwnershipLicenseAlreadyRevoked(uint256 licenseId);
    /// @notice License `licenseId` is revoked or expired: it cannot be paid for.
    error OwnershipLicenseNotPayable(uint256 licenseId);
    /// @notice License `licenseId` is paid for (or free): there is nothing to pay.
    error OwnershipLicenseAlreadyPaid(uint256 licenseId);
    /// @notice License `licenseId` costs `price` wei; `value` was sent.
    error OwnershipWrongPayment(uint256 licenseId, uint256 price, uint256 value);
    /// @notice License `licenseId` was bought: it stands until it expires.
    error OwnershipLicenseBought(uint256 licenseId);
    error OwnershipNothingToWithdraw(address account);
    error OwnershipWithdrawalFailed(address account, uint256 amount);
    error OwnershipAlreadyDelegate(bytes32 dataHash, address operator);
    error OwnershipNotDelegate(bytes32 dataHash, address operator);
    error OwnershipDelegateIsOwner(bytes32 dataHash, address operator);
    /// @notice Terms need a hash of their text and a url where they can be read.
    error OwnershipEmptyTerms();
    /// @notice `dataHash` has no terms to clear.
    error OwnershipNoTerms(bytes32 dataHash);

    /// @notice The EIP-712 digest an enclave signs to bind `dataHash` to `owner` for file `fileId` at `boundAt`.
    function bindingDigest(bytes32 dataHash, address owner, uint256 fileId, uint64 boundAt)
        external
        view
        returns (bytes32);

    /// @notice Binds `dataHash` to `owner` on the signature of an active validator's enclave; anyone may
    ///         send it (the validator's node does). Once per hash and once per file: a replayed or second
    ///         binding is refused, as is one for a file the registry records under another owner.
    function bind(bytes32 dataHash, address owner, uint256 fileId, uint64 boundAt, bytes calldata signature) external;

    /// @notice Makes `to` the owner of `dataHash`; its owner or a delegate. The old owner's delegates
    ///         are dismissed (the new owner appoints its own); licenses stay until revoked or expired.
    function transfer(bytes32 dataHash, address to) external;

    /// @notice Grants a license over `dataHash`; its owner or a delegate.
    /// @return licenseId the new license's id, counted from 1
    function grantLicense(bytes32 dataHash, LicenseTerms calldata terms) external returns (uint256 licenseId);

    /// @notice Revokes license `licenseId`; the owner of its data or a delegate. A bought license
    ///         (a priced one, paid) cannot be revoked.
    function revokeLicense(uint256 licenseId) external;

    /// @notice Pays license `licenseId`'s price, exactly, so that it grants; anyone may pay for the
    ///         grantee. Credited to the data's current owner. Refused for a free, paid, revoked or
    ///         expired license.
    function payLicense(uint256 licenseId) external payable;

    /// @notice Sends the caller everything credited to it by license payments.
    /// @return amount what was sent, in wei
    function withdrawEarnings() external returns (uint256 amount);

    /// @notice What license payments credited to `account` and it has not withdrawn, in wei.
    function earningsOf(address account) external view returns (uint256);

    /// @notice Lets `operator` transfer `dataHash` and grant and revoke its licenses until the owner
    ///         dismisses it or the data changes hands; the owner only.
    function delegate(bytes32 dataHash, address operator) external;

    /// @notice Dismisses delegate `operator` of `dataHash`; the owner only.
    function undelegate(bytes32 dataHash, address operator) external;

    /// @notice Sets (or replaces) the terms of `dataHash`; its owner or a delegate. From then on only
    ///         holders of an active license of the matching scope may query or compute over it.
    function setTerms(bytes32 dataHash, bytes32 termsHash, string calldata termsUrl) external;

    /// @notice Clears the terms of `dataHash`, so it is served as before any were set; its owner or a delegate.
    function clearTerms(bytes32 dataHash) external;

    /// @notice The terms set on `dataHash`; `setAt` is 0 when there are none.
    function termsOf(bytes32 dataHash) external view returns (Terms memory);

    /// @notice The owner of `dataHash`; the zero address when it was never bound.
    function ownerOf(bytes32 dataHash) external view returns (address);

    /// @notice The binding of `dataHash` with its current owner; all zero when it was never bound.
    function bindingOf(bytes32 dataHash) external view returns (Binding memory);

    /// @notice The hash bound for file `fileId`; zero when none was.
    function hashOfFile(uint256 fileId) external view returns (bytes32);

    /// @notice Every license ever granted over `dataHash`, revoked and expired ones included, oldest first.
    function licensesOf(bytes32 dataHash) external view returns (License[] memory);

    /// @notice License `licenseId`; reverts for an unknown id.
    function licenseRecord(uint256 licenseId) external view returns (License memory);

    /// @notice How many licenses were ever granted, over any hash: ids run from 1 to this.
    function licensesCount() external view returns (uint256);

    /// @notice Whether license `licenseId` grants now: paid (or free), not revoked, not expired.
    function isLicenseActive(uint256 licenseId) external view returns (bool);

    /// @notice Whether `grantee` holds a license over `dataHash` active now whose scope covers every bit of `scope`.
    function hasActiveLicense(bytes32 dataHash, address grantee, uint8 scope) external view returns (bool);

    /// @notice The current owner's delegates for `dataHash`.
    function delegatesOf(bytes32 dataHash) external view returns (address[] memory);

    /// @notice Whether `account` is a delegate of `dataHash`'s current owner.
    function isDelegate(bytes32 dataHash, address account) external view returns (bool);
}
