// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title ContractLedger
/// @notice Anchors Merkle roots of CMS events (contract creations, signatures, state changes).
/// One transaction anchors a whole batch; anyone can check an event against a root with its proof.
/// Trees are OpenZeppelin `StandardMerkleTree`s over `bytes32` values (the events' SHA-256 hashes):
/// leaf = keccak256(bytes.concat(keccak256(abi.encode(eventHash)))), inner nodes hash sorted pairs.
contract ContractLedger {
    string public constant VERSION = "1.0.0";

    struct Anchor {
        uint64 anchoredAt; // block timestamp; 0 = never anchored
        uint32 leafCount;
        bool revoked;
    }

    address public owner;
    mapping(address => bool) public recorders;
    mapping(bytes32 => Anchor) public anchors;

    event Anchored(bytes32 indexed root, uint32 leafCount, address indexed recorder, uint64 anchoredAt);
    event Revoked(bytes32 indexed root, address indexed by);
    event RecorderSet(address indexed recorder, bool allowed);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    error NotOwner();
    error NotRecorder();
    error AlreadyAnchored(bytes32 root);
    error UnknownRoot(bytes32 root);
    error EmptyBatch();
    error ZeroAddress();

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    constructor() {
        owner = msg.sender;
        recorders[msg.sender] = true;
        emit OwnershipTransferred(address(0), msg.sender);
        emit RecorderSet(msg.sender, true);
    }

    /// @notice Records a Merkle root of `leafCount` events.
    function anchor(bytes32 root, uint32 leafCount) external {
        if (!recorders[msg.sender]) revert NotRecorder();
        if (leafCount == 0) revert EmptyBatch();
        if (anchors[root].anchoredAt != 0) revert AlreadyAnchored(root);
        uint64 at = uint64(block.timestamp);
        anchors[root] = Anchor(at, leafCount, false);
        emit Anchored(root, leafCount, msg.sender, at);
    }

    /// @notice Marks a root as revoked (e.g. anchored in error); it stays visible but no longer verifies.
    function revoke(bytes32 root) external onlyOwner {
        if (anchors[root].anchoredAt == 0) revert UnknownRoot(root);
        anchors[root].revoked = true;
        emit Revoked(root, msg.sender);
    }

    /// @notice The Merkle leaf of an event hash, as `StandardMerkleTree.of([[eventHash]], ["bytes32"])` computes it.
    function leafOf(bytes32 eventHash) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(eventHash))));
    }

    /// @notice True when the event with hash `eventHash` is in the tree of an anchored, unrevoked `root`.
    function verifyEvent(bytes32 root, bytes32 eventHash, bytes32[] calldata proof) external view returns (bool) {
        Anchor memory a = anchors[root];
        if (a.anchoredAt == 0 || a.revoked) return false;
        return MerkleProof.verifyCalldata(proof, root, leafOf(eventHash));
    }

    /// @notice True when `leaf` (already hashed, see `leafOf`) is in the tree of an anchored, unrevoked `root`.
    function verify(bytes32 root, bytes32 leaf, bytes32[] calldata proof) external view returns (bool) {
        Anchor memory a = anchors[root];
        if (a.anchoredAt == 0 || a.revoked) return false;
        return MerkleProof.verifyCalldata(proof, root, leaf);
    }

    function setRecorder(address recorder, bool allowed) external onlyOwner {
        if (recorder == address(0)) revert ZeroAddress();
        recorders[recorder] = allowed;
        emit RecorderSet(recorder, allowed);
    }

    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }
}
