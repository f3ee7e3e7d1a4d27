pragma circom 2.0.0;
// One quantized dense layer with ReLU, the shape ZKML front ends emit:
// y_j = ReLU(Σ_i W[j][i]·x_i + b_j) with signed integer weights (negative
// values are r − |v| in the field). The sign of the accumulator comes from
// the top bit of acc + 2^(Bits-1), decomposed with circomlib's Num2Bits.
include "circomlib/circuits/bitify.circom";

template Relu(Bits) {
  signal input in;
  signal output out;
  component bits = Num2Bits(Bits);
  bits.in <== in + (1 << (Bits - 1));
  signal positive <== bits.out[Bits - 1];
  out <== positive * in;
}

template Dense(N, M) {
  signal input x[N];
  signal output y[M];
  var W[4][6] = [[3, -2, 5, 1, 0, -7], [-4, 6, 2, -1, 3, 2], [1, 1, -3, 4, -2, 5], [2, -5, 0, 3, 1, -1]];
  var B[4] = [10, -20, 5, 0];
  signal prod[M][N];
  signal acc[M][N + 1];
  component relu[M];
  for (var j = 0; j < M; j++) {
    acc[j][0] <== B[j];
    for (var i = 0; i < N; i++) {
      prod[j][i] <== W[j][i] * x[i];
      acc[j][i + 1] <== acc[j][i] + prod[j][i];
    }
    relu[j] = Relu(32);
    relu[j].in <== acc[j][N];
    y[j] <== relu[j].out;
  }
}

component main {public [x]} = Dense(6, 4);
