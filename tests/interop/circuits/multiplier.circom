pragma circom 2.0.0;
template Multiplier(n) {
  signal input a;
  signal input b;
  signal output c;
  signal t[n];
  t[0] <== a * b;
  for (var i = 1; i < n; i++) t[i] <== t[i-1] * a + b;
  c <== t[n-1];
}
component main {public [a]} = Multiplier(5);
