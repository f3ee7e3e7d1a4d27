// Index arithmetic of 2-D windows (Conv, MaxPool, AvgPool) on NCHW tensors
// with batch 1, shared by the float evaluator, the integer evaluator and the
// circuit so that all three read the same input positions.
#pragma once

#include <cstdint>

#include <Eigen/Core>

#include "zkacc/zkml/graph.hpp"

namespace zkacc::zkml::detail {

template <class T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct WindowGeometry {
  std::int64_t c, h, w;    // input channels, height, width
  std::int64_t oh, ow;     // output height, width
  Window2d win;

  WindowGeometry(const Shape& in, const Shape& out, const Window2d& window)
      : c(in[1]), h(in[2]), w(in[3]), oh(out[2]), ow(out[3]), win(window) {}

  // f(iy, ix, ky, kx) for every input position of window (oy, ox) that lies
  // inside the input (padding is skipped).
  template <class F>
  void for_each(std::int64_t oy, std::int64_t ox, F&& f) const {
    for (int ky = 0; ky < win.kh; ++ky) {
      const std::int64_t iy = oy * win.sh - win.pad_t + ky;
      if (iy < 0 || iy >= h) continue;
      for (int kx = 0; kx < win.kw; ++kx) {
        const std::int64_t ix = ox * win.sw - win.pad_l + kx;
        if (ix < 0 || ix >= w) continue;
        f(iy, ix, ky, kx);
      }
    }
  }
  // Number of in-bounds positions of window (oy, ox).
  std::int64_t valid_count(std::int64_t oy, std::int64_t ox) const {
    std::int64_t n = 0;
    for_each(oy, ox, [&](auto, auto, auto, auto) { ++n; });
    return n;
  }
};

// The convolution's input as a matrix [C·kh·kw, OH·OW] (zeros where the
// window covers padding), so that Conv is one matrix product W·cols.
template <class T>
RowMatrix<T> im2col(const T* x, const WindowGeometry& g) {
  const std::int64_t kk = g.win.kh * g.win.kw;
  RowMatrix<T> cols = RowMatrix<T>::Zero(g.c * kk, g.oh * g.ow);
  for (std::int64_t ch = 0; ch < g.c; ++ch)
    for (std::int64_t oy = 0; oy < g.oh; ++oy)
      for (std::int64_t ox = 0; ox < g.ow; ++ox)
        g.for_each(oy, ox, [&](std::int64_t iy, std::int64_t ix, int ky, int kx) {
          cols(ch * kk + ky * g.win.kw + kx, oy * g.ow + ox) = x[(ch * g.h + iy) * g.w + ix];
        });
  return cols;
}

}  // namespace zkacc::zkml::detail
