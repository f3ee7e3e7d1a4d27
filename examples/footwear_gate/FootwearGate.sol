// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// The verifier `zkacc export-solidity` writes for the model's key: its
/// verification key (and so the model's weights, which are constants of the
/// circuit) is fixed in its code.
interface IModelVerifier {
    function verifyProof(uint256[2] calldata a, uint256[2][2] calldata b, uint256[2] calldata c,
                         uint256[11] calldata pubSignals) external view returns (bool);
}

/// A listing board for a footwear shop: an item is listed only with a proof
/// that zkacc's Fashion-MNIST MLP (models/mlp.onnx, settings
/// models/reference/mlp.settings.json, input hashed) classifies the item's
/// image as a sandal, a sneaker or an ankle boot. The image stays off chain:
/// the proof's public signals are the 10 logits and the Poseidon commitment
/// of the quantized pixels, which becomes the listing's id, so anyone shown
/// the image later can recompute the commitment (circomlibjs) and check
/// that it is the image the model saw.
contract FootwearGate {
    uint256 private constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    // Fashion-MNIST labels 5 (sandal), 7 (sneaker), 9 (ankle boot).
    uint256 private constant FOOTWEAR = (1 << 5) | (1 << 7) | (1 << 9);

    IModelVerifier public immutable verifier;
    /// Image commitment => label + 1 (0: not listed).
    mapping(uint256 => uint256) public listed;

    event Listed(uint256 indexed imageCommitment, uint256 label, int256 logit);

    constructor(IModelVerifier verifier_) {
        verifier = verifier_;
    }

    /// Lists the image whose commitment is pubSignals[10] if the proof holds
    /// and the model's answer (the first largest logit) is footwear.
    function list(uint256[2] calldata a, uint256[2][2] calldata b, uint256[2] calldata c,
                  uint256[11] calldata pubSignals) external returns (uint256 label) {
        require(verifier.verifyProof(a, b, c, pubSignals), "FootwearGate: invalid proof");
        int256 best = signedLogit(pubSignals[0]);
        for (uint256 i = 1; i < 10; ++i) {
            int256 v = signedLogit(pubSignals[i]);
            if (v > best) {
                best = v;
                label = i;
            }
        }
        require((FOOTWEAR >> label) & 1 == 1, "FootwearGate: not footwear");
        uint256 commitment = pubSignals[10];
        require(listed[commitment] == 0, "FootwearGate: already listed");
        listed[commitment] = label + 1;
        emit Listed(commitment, label, best);
    }

    /// A logit as the proof carries it: negative values as r - |v| (the
    /// verifier has checked every signal is below r).
    function signedLogit(uint256 s) private pure returns (int256) {
        return s > R / 2 ? -int256(R - s) : int256(s);
    }
}
