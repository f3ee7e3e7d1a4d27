pragma circom 2.0.0;
// circomlib's Poseidon hash of two field elements; the hash is public.
include "circomlib/circuits/poseidon.circom";

template PoseidonPreimage() {
  signal input x[2];
  signal output h;
  component p = Poseidon(2);
  p.inputs[0] <== x[0];
  p.inputs[1] <== x[1];
  h <== p.out;
}

component main = PoseidonPreimage();
